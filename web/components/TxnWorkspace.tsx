import { showBytes } from '../model/display';
import { useLab } from '../store/store';
import { KeyButton } from './KeyButton';

/**
 * Each open transaction's private workspace, drawn beside the memtable it does not touch: its puts and tombstones in
 * key order, as its txn.write events said. Nobody else reads them until the commit turns them into one WAL record.
 */
export function TxnWorkspace() {
  const txns = useLab((s) => s.view.txns);
  const conflict = useLab((s) => s.view.txnConflict);
  if (txns.length === 0 && !conflict) return null;
  return (
    <div className="txn-workspaces">
      {txns.map((txn) => (
        <section
          key={txn.id}
          className="txn-workspace"
          data-testid="txn-workspace"
          aria-label={`Transaction ${txn.id}`}
        >
          <h3>
            Transaction {txn.id} <span className="tag">private workspace</span>
          </h3>
          <p className="explain">
            Reads at #{txn.seq}, its own writes first.{' '}
            {txn.serializable ? 'Refused at commit if what it read was written since.' : 'No check at commit.'}
          </p>
          {txn.reads.length > 0 && (
            <p className="txn-reads" data-testid="txn-reads">
              Read:{' '}
              {txn.reads
                .map((r) =>
                  'key' in r
                    ? showBytes(r.key, 14)
                    : `[${r.start === null ? '…' : showBytes(r.start, 10)}, ${r.end === null ? '…' : showBytes(r.end, 10)})`,
                )
                .join(', ')}
            </p>
          )}
          <ol className="entries">
            {txn.workspace.map((w) => (
              <li key={w.key} className={`entry ${w.op === 'delete' ? 'tombstone' : ''}`}>
                <span className={`op op-${w.op}`}>{w.op}</span>
                <KeyButton hex={w.key} max={18} />
                {w.op === 'put' && <span className="value">{showBytes(w.value, 14)}</span>}
              </li>
            ))}
            {txn.workspace.length === 0 && <li className="empty">Nothing written yet.</li>}
          </ol>
        </section>
      ))}
      {conflict && txns.length === 0 && (
        <p className="txn-conflict" data-testid="txn-conflict">
          Transaction {conflict.txn} was refused: {showBytes(conflict.key, 24)}, which it{' '}
          {conflict.range ? 'scanned past' : 'read'}, was written after it began. Nothing of it was written.
        </p>
      )}
    </div>
  );
}
