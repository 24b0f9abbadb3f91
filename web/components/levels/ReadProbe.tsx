// A Get inside one SSTable, drawn from what the engine reported of it: the bloom filter's bits (the k the key
// hashes to, each set or not), the sparse index lines and the block it chose, and the binary search in that block.
// Beneath, when the read stopped at a tombstone, the older version the tombstone hides.
import type { BloomProbe, IndexLookup } from '@lsm-lab/engine';
import { plural, showBytes } from '../../model/display';
import type { ReadView } from '../../model/view';
import { SPEED_INTERVAL, useEntrances, useLab } from '../../store/store';
import type { SstableStep } from './TableCard';

export function ReadProbe({ read }: { read: ReadView }) {
  // The three parts come in one event; at a watchable speed they appear in the order the engine did them.
  const stagger = useLab((s) => SPEED_INTERVAL[s.speed]) / 3;
  const enter = useEntrances() && stagger > 0;
  const delay = (part: number) => (enter ? { animationDelay: `${part * stagger}ms` } : undefined);
  const step = [...read.steps]
    .reverse()
    .find((s): s is SstableStep => s.where === 'sstable' && s.found !== 'out-of-range');
  if (!step && !read.hidden) return null;
  return (
    <section
      className={`read-probe ${enter ? 'staged' : ''}`}
      aria-label="Inside the SSTable read"
      data-testid="read-probe"
    >
      {step && (
        <>
          <h3>
            Get {showBytes(read.key, 16)} in {step.file} <span className="level">L{step.level}</span>
          </h3>
          <ol className="probe-steps" key={`${read.key} ${step.file}`}>
            <li data-testid="probe-bloom" style={delay(0)}>
              {step.bloom ? (
                <Bloom bloom={step.bloom} />
              ) : (
                <span>Bloom filter: none in this file, so the index is asked.</span>
              )}
            </li>
            {step.index && (
              <li data-testid="probe-index" style={delay(1)}>
                <Index index={step.index} />
              </li>
            )}
            {step.search && (
              <li data-testid="probe-search" style={delay(2)}>
                <span className="probe-what">
                  Block {step.block} ({plural(step.search.entries, 'entry', 'entries')}), binary search:
                </span>{' '}
                {step.search.compared.map((c) => (
                  <span key={c.entry} className={`compare compare-${c.order === 0 ? 'equal' : 'other'}`}>
                    #{c.entry} {showBytes(c.key, 12)} {c.order < 0 ? '<' : c.order > 0 ? '>' : '='}
                  </span>
                ))}
                <strong className={`verdict read-${step.found}`}>
                  {step.found === 'value' ? 'found' : step.found === 'tombstone' ? 'a tombstone' : 'not here'}
                </strong>
              </li>
            )}
          </ol>
        </>
      )}
      {read.done && read.hidden && (
        <p className="hidden-version" data-testid="hidden-version">
          The tombstone in {read.source === 'memtable' ? 'the memtable' : read.source} hides{' '}
          <strong>
            {showBytes(read.key, 16)} ={' '}
            {read.hidden.value === null ? 'an older tombstone' : showBytes(read.hidden.value, 16)}
          </strong>{' '}
          in {read.hidden.source}: still on disk until a compaction drops it.
        </p>
      )}
    </section>
  );
}

/** The filter's bits (every one, for a small filter), the probed ones ringed: all set means "maybe here". */
function Bloom({ bloom }: { bloom: BloomProbe }) {
  const allSet = bloom.set.every(Boolean);
  const probed = new Map(bloom.probes.map((bit, i) => [bit, bloom.set[i]!]));
  const bytes = bloom.filter ? hexBytes(bloom.filter) : undefined;
  return (
    <>
      <span className="probe-what">
        Bloom filter, {bloom.bits} bits, {plural(bloom.probes.length, 'probe')}:
      </span>{' '}
      <strong className={allSet ? 'verdict maybe' : 'verdict no'}>
        {allSet ? 'all set: maybe here' : `bit ${bloom.probes[bloom.set.indexOf(false)]} is 0: not here`}
      </strong>
      {bytes ? (
        <span className="bits" role="img" aria-label={`${bloom.bits} filter bits; probed: ${bloom.probes.join(', ')}`}>
          {Array.from({ length: bloom.bits }, (_, bit) => {
            const on = ((bytes[bit >>> 3] ?? 0) & (1 << (bit & 7))) !== 0;
            const probe = probed.get(bit);
            return (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: a bit's place is its identity
                key={bit}
                className={`bit ${on ? 'on' : ''} ${probe === undefined ? '' : probe ? 'probed' : 'probed miss'}`}
              />
            );
          })}
        </span>
      ) : (
        <span className="bit-list">
          {bloom.probes.map((bit, i) => (
            <span key={bit} className={bloom.set[i] ? 'bit-set' : 'bit-unset'}>
              {bit}
              {bloom.set[i] ? '✓' : '✗'}
            </span>
          ))}
        </span>
      )}
    </>
  );
}

/** The sparse index lines around the chosen one: the last block whose first key is ≤ the key. */
function Index({ index }: { index: IndexLookup }) {
  return (
    <>
      <span className="probe-what">
        Sparse index ({plural(index.blocks, 'block')}): block {index.chosen}
      </span>
      <span className="index-lines">
        {index.from > 0 && <span className="index-line more">…</span>}
        {index.keys.map((key, i) => (
          <span key={key} className={`index-line ${index.from + i === index.chosen ? 'chosen' : ''}`}>
            {index.from + i}: {showBytes(key, 10)}
          </span>
        ))}
        {index.from + index.keys.length < index.blocks && <span className="index-line more">…</span>}
      </span>
    </>
  );
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}
