import { AnimatePresence, motion } from 'motion/react';
import { showBytes, showSize } from '../model/display';
import type { WalView } from '../model/view';
import { useEntrances, useLab, useLayoutAnimations } from '../store/store';
import { KeyButton } from './KeyButton';

/** How many of the newest records each WAL shows. */
const SHOWN = 14;

export function WalPanel() {
  const wals = useLab((s) => s.view.wals);
  const focus = useLab((s) => s.view.focus);
  const animate = useLayoutAnimations();
  const enter = useEntrances();
  return (
    <section className="panel disk" aria-labelledby="wal-title">
      <h2 id="wal-title">
        Write-ahead log <span className="tag">disk</span>
      </h2>
      <p className="explain">Every write is appended here and flushed before it is acknowledged.</p>
      {wals.length === 0 && <p className="empty">No WAL yet.</p>}
      <AnimatePresence initial={false}>
        {wals.map((wal, i) => (
          <motion.div
            key={wal.file}
            className={`wal ${i < wals.length - 1 ? 'wal-old' : ''} ${focus.kind === 'wal' && focus.file === wal.file ? 'focused' : ''}`}
            data-testid="wal"
            layout={animate}
            initial={enter ? { opacity: 0, y: -12 } : false}
            animate={{ opacity: 1, y: 0 }}
            exit={
              enter
                ? { opacity: 0, x: -40, transition: { duration: 0.3 } }
                : { opacity: 0, transition: { duration: 0 } }
            }
          >
            <WalFile
              wal={wal}
              focusOffset={focus.kind === 'wal' && focus.file === wal.file ? focus.offset : undefined}
            />
          </motion.div>
        ))}
      </AnimatePresence>
    </section>
  );
}

function WalFile({ wal, focusOffset }: { wal: WalView; focusOffset: number | undefined }) {
  const enter = useEntrances();
  const hidden = wal.totalRecords - Math.min(wal.records.length, SHOWN);
  const records = wal.records.slice(-SHOWN);
  return (
    <>
      <div className="file-head">
        <span className="file-name" data-testid="wal-file">
          {wal.file}
        </span>
        <span className="file-size" data-testid="wal-size">
          {wal.size} bytes
        </span>
      </div>
      <div className="durable-bar" title="durable (flushed) part of the file">
        <div style={{ transform: `scaleX(${wal.size === 0 ? 0 : wal.durableSize / wal.size})` }} />
      </div>
      {hidden > 0 && <p className="more">… {hidden} earlier records</p>}
      <ol className="records">
        <AnimatePresence initial={false}>
          {records.map((r) => (
            <motion.li
              key={r.offset}
              className={`record ${r.durable ? 'durable' : 'pending'} ${r.replayed ? 'replayed' : ''} ${focusOffset === r.offset ? 'focused' : ''}`}
              initial={enter ? { opacity: 0, x: 40, backgroundColor: 'rgba(59,130,246,0.45)' } : false}
              animate={{ opacity: 1, x: 0, backgroundColor: 'rgba(59,130,246,0)' }}
              transition={{ duration: 0.35 }}
            >
              <span className="offset">@{r.offset}</span>
              <span className={`op op-${r.op}`}>{r.op}</span>
              <KeyButton hex={r.key} max={18} />
              {r.op === 'put' && <span className="value">{showBytes(r.value, 14)}</span>}
              {r.batch && <span className="batch">+{r.batch - 1} more (one batch record)</span>}
              <span className="mark" title={r.durable ? 'flushed to disk' : 'written, not yet flushed'}>
                {r.durable ? '✓' : '…'}
              </span>
            </motion.li>
          ))}
        </AnimatePresence>
      </ol>
      <p className="file-foot">{showSize(wal.size)} on disk</p>
    </>
  );
}
