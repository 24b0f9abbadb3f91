import { AnimatePresence, motion } from 'motion/react';
import { useRowsThatFit } from '../layout/useRowsThatFit';
import { plural, showBytes, showSize } from '../model/display';
import type { Focus, MemtableEntryView } from '../model/view';
import { useEntrances, useLab, useLayoutAnimations } from '../store/store';
import { KeyButton } from './KeyButton';

export function MemtablePanel() {
  const memtable = useLab((s) => s.view.memtable);
  const flushingGeneration = useLab((s) => s.view.flushingGeneration);
  const crashed = useLab((s) => s.view.crashed);
  const recovery = useLab((s) => s.view.recovery);
  const focus = useLab((s) => s.view.focus);
  const status = useLab((s) => s.connection.status);
  const animate = useLayoutAnimations();
  const enter = useEntrances();
  const fill = memtable.limit > 0 ? Math.min(1, memtable.bytes / memtable.limit) : 0;
  const movingOut = flushingGeneration === memtable.generation;
  const [list, fit] = useRowsThatFit<HTMLOListElement>(12);
  const entries = memtable.entries.slice(0, Math.max(1, memtable.total > fit ? fit - 1 : fit));

  return (
    <section
      className={`panel memory ${crashed ? 'crashed' : ''} ${focus.kind === 'memtable' ? 'focused' : ''}`}
      aria-label="Memtable"
    >
      <h2 id="memtable-title">
        Memtable <span className="tag">memory</span>
      </h2>
      <p className="explain">Recent writes, sorted by key (a skip list). Flushed to an SSTable when full.</p>
      <div className="fill">
        <div className="fill-bar" style={{ transform: `scaleX(${fill})` }} />
        <span className="fill-text" data-testid="memtable-fill">
          {showSize(memtable.bytes)} of {showSize(memtable.limit)} · {plural(memtable.total, 'entry', 'entries')}
        </span>
      </div>
      {crashed && (
        <motion.div
          className="crash-banner"
          initial={enter ? { scale: 0.6, opacity: 0 } : false}
          animate={{ scale: 1, opacity: 1 }}
        >
          <strong>{crashed.kind === 'power' ? 'Power lost.' : 'Process crashed.'}</strong> {crashed.lostEntries}{' '}
          {crashed.lostEntries === 1 ? 'entry' : 'entries'} in memory lost.{' '}
          {status === 'crashed' ? 'Press Recover: the WAL still has them.' : 'Recovering from the WAL…'}
        </motion.div>
      )}
      {recovery && !recovery.done && <p className="replaying">Replaying the WAL into memory…</p>}
      {movingOut ? (
        <p className="moving">Writing these entries to an SSTable…</p>
      ) : (
        <motion.ol
          ref={list}
          className="entries grow"
          data-testid="memtable"
          layoutId={animate ? `generation-${memtable.generation}` : undefined}
          aria-label="Memtable entries"
        >
          {memtable.sampled ? (
            // A workload's snapshot, replaced several times a second: animating every entry in and out would be
            // a blur, and it kept the main thread busy (bench workload 9). The rows stay and their text changes
            // (keyed by position: no element is created or removed unless the sample grows or shrinks). They
            // stay plain rows until the next flush, so that the end of a workload does not mount 40 animated
            // rows at once.
            entries.map((e, row) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows, on purpose (see above)
              <li key={row} className={entryClass(e, focus)}>
                <EntryContent entry={e} />
              </li>
            ))
          ) : (
            <AnimatePresence initial={false}>
              {entries.map((e) => (
                <motion.li
                  key={e.key}
                  layout={animate ? 'position' : false}
                  className={entryClass(e, focus)}
                  initial={enter ? { opacity: 0, x: -60, scale: 0.9 } : false}
                  animate={{ opacity: 1, x: 0, scale: 1 }}
                  exit={
                    enter
                      ? { opacity: 0, y: 30, rotate: -8, transition: { duration: 0.5 } }
                      : { opacity: 0, transition: { duration: 0 } }
                  }
                >
                  <EntryContent entry={e} />
                </motion.li>
              ))}
            </AnimatePresence>
          )}
          {memtable.total > entries.length && <li className="more">… {memtable.total - entries.length} more</li>}
          {memtable.total === 0 && !crashed && <li className="empty">Empty.</li>}
        </motion.ol>
      )}
    </section>
  );
}

function entryClass(entry: MemtableEntryView, focus: Focus): string {
  return `entry ${entry.value === null ? 'tombstone' : ''} ${focus.kind === 'memtable' && focus.key === entry.key ? 'focused' : ''}`;
}

function EntryContent({ entry }: { entry: MemtableEntryView }) {
  return (
    <>
      <KeyButton hex={entry.key} max={20} />
      <span className="value">{entry.value === null ? 'tombstone' : showBytes(entry.value, 16)}</span>
      <span className="seq">#{entry.seq}</span>
    </>
  );
}
