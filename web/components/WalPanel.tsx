import { AnimatePresence, m as motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { useRowsThatFit } from '../layout/useRowsThatFit';
import { showBytes, showCount, showSize } from '../model/display';
import type { WalView } from '../model/view';
import { useEntrances } from '../store/hooks';
import { usePick } from '../store/pick';
import { useLab } from '../store/store';
import { KeyButton } from './KeyButton';
import { PickOverlay } from './Pickable';

/** A record being appended: shown from its left edge to nowhere yet, then whole (with room for its focus ring). */
const APPENDING = 'inset(-20% 100% -20% -2%)';
const APPENDED = 'inset(-20% -2% -20% -2%)';

export function WalPanel() {
  const { t } = useTranslation('ui');
  const wals = useLab((s) => s.view.wals);
  const focus = useLab((s) => s.view.focus);
  const enter = useEntrances();
  return (
    <section className="panel disk" aria-label={t('wal.title')}>
      <h2 id="wal-title">
        {t('wal.title')} <span className="tag">{t('wal.disk')}</span>
      </h2>
      <p className="explain">{t('wal.explain')}</p>
      {wals.length === 0 && <p className="empty">{t('wal.none')}</p>}
      <AnimatePresence initial={false}>
        {wals.map((wal, i) => (
          <motion.div
            key={wal.file}
            className={`wal ${i < wals.length - 1 ? 'wal-old' : ''} ${focus.kind === 'wal' && focus.file === wal.file ? 'focused' : ''}`}
            data-testid="wal"
            // No gliding: the live WAL reaches down to the column's foot, so any move down (or up from below) would
            // carry it out of its column. A new file fades in where it is; a deleted one folds away, and the live
            // one grows into the room it leaves, laid out afresh each frame.
            initial={enter ? { opacity: 0 } : false}
            animate={{ opacity: 1 }}
            exit={
              enter
                ? {
                    opacity: 0,
                    height: 0,
                    paddingTop: 0,
                    paddingBottom: 0,
                    marginBottom: 0,
                    borderTopWidth: 0,
                    borderBottomWidth: 0,
                    transition: { duration: 0.3 },
                  }
                : { opacity: 0, transition: { duration: 0 } }
            }
          >
            {i < wals.length - 1 ? (
              <OldWal wal={wal} />
            ) : (
              <WalFile
                wal={wal}
                focusOffset={focus.kind === 'wal' && focus.file === wal.file ? focus.offset : undefined}
              />
            )}
          </motion.div>
        ))}
      </AnimatePresence>
    </section>
  );
}

/** A WAL that a newer one has replaced: its memtable is being flushed, and it is deleted once the flush commits. */
function OldWal({ wal }: { wal: WalView }) {
  const { t } = useTranslation('ui');
  return (
    <div className="file-head">
      <span className="file-name" data-testid="wal-file">
        {wal.file}
      </span>
      <span className="file-size" data-testid="wal-size">
        {t('wal.bytes', { count: wal.size })} · {t('wal.records', { count: wal.totalRecords })}
      </span>
    </div>
  );
}

/** The live WAL: its newest records, as many as fit, each with its byte offset and whether it is flushed yet. */
function WalFile({ wal, focusOffset }: { wal: WalView; focusOffset: number | undefined }) {
  const { t } = useTranslation('ui');
  const enter = useEntrances();
  const recovery = useLab((s) => s.view.recovery);
  // The record the last transaction commit wrote: its whole workspace, under one checksum.
  const txnRecord = useLab((s) => s.view.txnRecord);
  // While recovery reads the file, the records it has not reached yet are drawn faint: they are on disk, unread.
  const reading = recovery !== null && !recovery.done;
  const torn = recovery?.tornTails.filter((t) => t.file === wal.file) ?? [];
  const [list, fit] = useRowsThatFit<HTMLOListElement>(12);
  // A question about WAL records shows every record the view holds, in a list that scrolls: the one to point at
  // may be an early one (a phone has room for one row).
  const picking = usePick((s) => s.pick?.target === 'wal-record');
  const shown = picking ? wal.records.length : Math.max(1, wal.totalRecords > fit ? fit - 1 : fit);
  const records = wal.records.slice(Math.max(0, wal.records.length - shown));
  const hidden = wal.totalRecords - records.length;
  return (
    <>
      <div className="file-head">
        <span className="file-name" data-testid="wal-file">
          {wal.file}
        </span>
        <span className="file-size" data-testid="wal-size">
          {t('wal.bytes', { count: wal.size })}
        </span>
      </div>
      <div className="durable-bar" title={t('wal.durableBar')}>
        <div style={{ transform: `scaleX(${wal.size === 0 ? 0 : wal.durableSize / wal.size})` }} />
      </div>
      <ol className={`records grow ${picking ? 'picking' : ''}`} ref={list}>
        {hidden > 0 && <li className="more">… {t('wal.earlier', { count: hidden, n: showCount(hidden) })}</li>}
        <AnimatePresence initial={false}>
          {records.map((r) => (
            <motion.li
              key={r.offset}
              className={`record ${r.durable ? 'durable' : 'pending'} ${r.replayed ? 'replayed' : reading ? 'unread' : ''} ${focusOffset === r.offset ? 'focused' : ''} ${txnRecord?.file === wal.file && txnRecord.offset === r.offset ? 'txn-commit' : ''}`}
              // Written left to right at the end of the file: a wipe, which stays inside the file's box (a slide in
              // from the side crossed the column's edge).
              initial={enter ? { clipPath: APPENDING, backgroundColor: 'rgba(59,130,246,0.45)' } : false}
              animate={{ clipPath: APPENDED, backgroundColor: 'rgba(59,130,246,0)' }}
              transition={{ duration: 0.35 }}
            >
              <span className="offset">@{r.offset}</span>
              <span className={`op op-${r.op}`}>{r.op}</span>
              <KeyButton hex={r.key} max={18} />
              {r.op === 'put' && <span className="value">{showBytes(r.value, 14)}</span>}
              {r.batch && <span className="batch">{t('wal.batch', { more: r.batch - 1 })}</span>}
              {txnRecord?.file === wal.file && txnRecord.offset === r.offset && (
                <span className="txn-badge" data-testid="txn-commit-record">
                  txn {txnRecord.txn}
                </span>
              )}
              <span className="mark" title={r.durable ? t('wal.flushedMark') : t('wal.pendingMark')}>
                {r.durable ? '✓' : '…'}
              </span>
              <PickOverlay
                target="wal-record"
                id={`${wal.file}@${r.offset}`}
                label={t('wal.pickRecord', { offset: r.offset, file: wal.file })}
              />
            </motion.li>
          ))}
        </AnimatePresence>
        {torn.map((tail) => (
          <li key={tail.offset} className="torn" data-testid="torn-tail">
            ✂ {t('wal.torn', { offset: tail.offset, count: tail.droppedBytes })}
          </li>
        ))}
      </ol>
      <p className="file-foot">{t('wal.onDisk', { size: showSize(wal.size) })}</p>
    </>
  );
}
