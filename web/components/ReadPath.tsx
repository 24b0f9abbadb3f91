import { showBytes } from '../model/display';
import { useLab } from '../store/store';

/** The last Get, step by step: where the engine looked and what each place said. */
export function ReadPath() {
  const read = useLab((s) => s.view.read);
  return (
    <section className="panel read-path" aria-labelledby="read-title">
      <h2 id="read-title">Read path</h2>
      {!read ? (
        <p className="empty">Press Get to watch a read: memtable first, then SSTables newest to oldest.</p>
      ) : (
        <>
          <p className="read-key">
            Get <strong>{showBytes(read.key)}</strong>
          </p>
          <ol className="steps">
            {read.steps.map((step) => (
              <li key={step.where === 'memtable' ? 'memtable' : step.file} className={`read-${step.found}`}>
                {step.where === 'memtable'
                  ? `memtable: ${step.found === 'absent' ? 'not here' : step.found === 'value' ? 'found' : 'tombstone'}`
                  : step.found === 'out-of-range'
                    ? `${step.file}: outside its key range, skipped`
                    : `${step.file}: index → block ${step.block} read: ${step.found === 'absent' ? 'not here' : step.found === 'value' ? 'found' : 'tombstone'}`}
              </li>
            ))}
          </ol>
          {read.done && (
            <p className="read-result">
              {read.found ? `= ${showBytes(read.value)} from ${read.source}` : 'not found'} · {read.tablesChecked}{' '}
              SSTables checked · {read.blocksRead} blocks read
            </p>
          )}
        </>
      )}
    </section>
  );
}
