import { useTranslation } from 'react-i18next';
import { showBytes } from '../model/display';
import { useLab } from '../store/store';
import { KeyButton } from './KeyButton';

/**
 * Each open transaction's private workspace, drawn beside the memtable it does not touch: its puts and tombstones in
 * key order, as its txn.write events said. Nobody else reads them until the commit turns them into one WAL record.
 */
export function TxnWorkspace() {
  const { t } = useTranslation('ui');
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
          aria-label={t('txn.label', { id: txn.id })}
        >
          <h3>
            {t('txn.label', { id: txn.id })} <span className="tag">{t('txn.private')}</span>
          </h3>
          <p className="explain">
            {t('txn.readsAt', { seq: txn.seq })} {txn.serializable ? t('txn.serializable') : t('txn.noCheck')}
          </p>
          {txn.reads.length > 0 && (
            <p className="txn-reads" data-testid="txn-reads">
              {t('txn.read')}{' '}
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
            {txn.workspace.length === 0 && <li className="empty">{t('txn.nothing')}</li>}
          </ol>
        </section>
      ))}
      {conflict && txns.length === 0 && (
        <p className="txn-conflict" data-testid="txn-conflict">
          {conflict.range
            ? t('txn.refusedScanned', { txn: conflict.txn, key: showBytes(conflict.key, 24) })
            : t('txn.refusedRead', { txn: conflict.txn, key: showBytes(conflict.key, 24) })}
        </p>
      )}
    </div>
  );
}
