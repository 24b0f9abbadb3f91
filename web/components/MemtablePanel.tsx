import type { SkipListPath } from '@lsm-lab/engine';
import { AnimatePresence, m as motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { lazyPart } from '../layout/lazy-part';
import { useRowsThatFit } from '../layout/useRowsThatFit';
import { showBytes, showCount, showSize } from '../model/display';
import type { Focus, MemtableEntryView, ViewModel } from '../model/view';
import { useEntrances, useLayoutAnimations } from '../store/hooks';
import { useLab } from '../store/store';
import { KeyButton } from './KeyButton';
import { PickOverlay } from './Pickable';
import { KeptLines } from './snapshots/KeptLines';
import { SnapshotStrip } from './snapshots/SnapshotStrip';

// Shown while a transaction is open only: a chunk of its own (layout/lazy-part.tsx).
const TxnWorkspace = lazyPart(() => import('./TxnWorkspace'), 'TxnWorkspace');

export function MemtablePanel() {
  const { t } = useTranslation('ui');
  const memtable = useLab((s) => s.view.memtable);
  const flushingGeneration = useLab((s) => s.view.flushingGeneration);
  const crashed = useLab((s) => s.view.crashed);
  const recovery = useLab((s) => s.view.recovery);
  const focus = useLab((s) => s.view.focus);
  const status = useLab((s) => s.connection.status);
  const snapshots = useLab((s) => s.view.snapshots);
  const read = useLab((s) => s.view.read);
  const scan = useLab((s) => s.view.scan);
  const animate = useLayoutAnimations();
  // A new database's memtable is never the old one's (see the store's `epoch`), nor are its flights into L0.
  const epoch = useLab((s) => s.epoch);
  const enter = useEntrances();
  const fill = memtable.limit > 0 ? Math.min(1, memtable.bytes / memtable.limit) : 0;
  const movingOut = flushingGeneration === memtable.generation;
  const [list, fit] = useRowsThatFit<HTMLOListElement>(12);
  const lanes = skipListLanes(memtable.entries, memtable.total, memtable.sampled);
  const path = lanes && memtable.search ? litPath(memtable.entries, memtable.search.path) : undefined;
  // Rows for entries: what fits, less the skip list's head row and the "… more" row where they are drawn.
  const rows = fit - (lanes ? 1 : 0);
  const entries = memtable.entries.slice(0, Math.max(1, memtable.total > rows ? rows - 1 : rows));

  return (
    <section
      className={`panel memory ${crashed ? 'crashed' : ''} ${focus.kind === 'memtable' ? 'focused' : ''}`}
      aria-label={t('memtable.title')}
    >
      <div className="panel-head">
        <h2 id="memtable-title">
          {t('memtable.title')} <span className="tag">{t('memtable.memory')}</span>
        </h2>
        <SnapshotStrip />
      </div>
      <p className="explain">{t('memtable.explain')}</p>
      <div className="fill">
        <div className="fill-bar" style={{ transform: `scaleX(${fill})` }} />
        <span className="fill-text" data-testid="memtable-fill">
          {t('memtable.fill', { size: showSize(memtable.bytes), limit: showSize(memtable.limit) })} ·{' '}
          {t('memtable.entries', { count: memtable.total, n: showCount(memtable.total) })}
        </span>
      </div>
      {crashed && (
        <motion.div
          className="crash-banner"
          initial={enter ? { scale: 0.6, opacity: 0 } : false}
          animate={{ scale: 1, opacity: 1 }}
        >
          <strong>{crashed.kind === 'power' ? t('memtable.powerLost') : t('memtable.processCrashed')}</strong>{' '}
          {t('memtable.lost', { count: crashed.lostEntries })}{' '}
          {status === 'crashed' ? t('memtable.pressRecover') : t('memtable.recovering')}
        </motion.div>
      )}
      {recovery && !recovery.done && <p className="replaying">{t('memtable.replaying')}</p>}
      {movingOut ? (
        <p className="moving">{t('memtable.moving')}</p>
      ) : (
        <motion.ol
          ref={list}
          className="entries grow"
          data-testid="memtable"
          layoutId={animate ? `${epoch}:generation-${memtable.generation}` : undefined}
          aria-label={t('memtable.entriesLabel')}
        >
          {lanes && (
            <li className="skip-head" aria-label={t('memtable.skipHead', { count: lanes.height })}>
              <Tower lanes={lanes} row={-1} height={lanes.height} path={path} />
              <span className="head-label">{t('memtable.head')}</span>
            </li>
          )}
          {memtable.sampled ? (
            // A workload's snapshot, replaced several times a second: animating every entry in and out would be
            // a blur, and it kept the main thread busy (bench workload 9). The rows stay and their text changes
            // (keyed by position: no element is created or removed unless the sample grows or shrinks). They
            // stay plain rows until the next flush, so that the end of a workload does not mount 40 animated
            // rows at once.
            entries.map((e, row) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows, on purpose (see above)
              <li key={row} className={entryClass(e, focus)}>
                <EntryContent entry={e} marks={marksOf(e, snapshots, read, scan)} />
              </li>
            ))
          ) : (
            // `custom` is what the memtable holds now: a row that left the memtable (lost in a crash) falls away; a
            // row that is still there but no longer among the rows that fit goes at once. Left to fall away for half
            // a second, it kept its place and pushed the "… more" line out of the list.
            <AnimatePresence initial={false} custom={memtable.entries}>
              {entries.map((e) => (
                <motion.li
                  key={e.key}
                  layout={animate ? 'position' : false}
                  className={`${entryClass(e, focus)} ${lanes ? 'with-tower' : ''} ${scanClass(e, scan)}`}
                  data-scan={scanState(e, scan)}
                  initial={enter ? { opacity: 0, x: -60, scale: 0.9 } : false}
                  animate={{ opacity: 1, x: 0, scale: 1 }}
                  variants={{
                    gone: (now: MemtableEntryView[]) =>
                      enter && !now.some((held) => held.key === e.key)
                        ? { opacity: 0, y: 30, rotate: -8, transition: { duration: 0.5 } }
                        : { opacity: 0, transition: { duration: 0 } },
                  }}
                  exit="gone"
                >
                  {lanes && (
                    <Tower lanes={lanes} row={memtable.entries.indexOf(e)} height={e.height ?? 1} path={path} />
                  )}
                  <EntryContent entry={e} marks={marksOf(e, snapshots, read, scan)} />
                  <PickOverlay
                    target="memtable-row"
                    id={e.key}
                    label={t('memtable.pickRow', { key: showBytes(e.key, 24) })}
                  />
                </motion.li>
              ))}
            </AnimatePresence>
          )}
          {memtable.total > entries.length && (
            <li className="more">… {t('memtable.more', { count: memtable.total - entries.length })}</li>
          )}
          {memtable.total === 0 && !crashed && <li className="empty">{t('memtable.empty')}</li>}
        </motion.ol>
      )}
      <TxnWorkspace />
    </section>
  );
}

/** The skip list is drawn as one while it is small enough to read; beyond this many entries, as rows. */
const SKIP_LIST_UP_TO = 16;

interface Lanes {
  /** The tallest tower: how many lanes the list has. */
  height: number;
  /** For each lane, the index of the last entry that stands in it (-1: none). */
  lastOn: number[];
}

/**
 * The skip list's lanes, from the tower heights the engine reported for each entry: drawn while the memtable holds
 * up to SKIP_LIST_UP_TO entries and every one's height is known (a workload's sample and a list recovery loaded in
 * one pass have none). Turned on its side: keys run down the panel, and each tower reaches to the left.
 */
function skipListLanes(entries: MemtableEntryView[], total: number, sampled: boolean): Lanes | null {
  if (sampled || total === 0 || total > SKIP_LIST_UP_TO || entries.length !== total) return null;
  if (entries.some((e) => !e.height)) return null;
  const height = Math.max(...entries.map((e) => e.height!));
  const lastOn = Array.from({ length: height }, (_, lane) => entries.findLastIndex((e) => e.height! > lane));
  return { height, lastOn };
}

/**
 * One row's tower: a node on each lane it stands in, and each lane's line coming down into the row from the one
 * above, as far as the last node on that lane (the line is drawn by the lower row, which paints over the upper).
 * Lanes are drawn highest at the left.
 */
function Tower({ lanes, row, height, path }: { lanes: Lanes; row: number; height: number; path?: LitPath }) {
  return (
    <span className="tower" aria-hidden="true">
      {Array.from({ length: lanes.height }, (_, i) => {
        const lane = lanes.height - 1 - i;
        const node = lane < height;
        const through = row >= 0 && row <= lanes.lastOn[lane]!;
        const span = path?.lanes.get(lane);
        const visited = node && path?.stops.has(`${row} ${lane}`);
        const lit = through && span !== undefined && row > span.from && row <= span.to;
        return (
          <span
            key={lane}
            className={`lane ${node ? 'node' : ''} ${through ? 'through' : ''} ${visited ? 'visited' : ''} ${lit ? 'lit' : ''}`}
          />
        );
      })}
    </span>
  );
}

/** A search path laid on the drawing: the (row, lane) cells it stood on, and each lane's stretch it walked. */
interface LitPath {
  stops: Set<string>;
  lanes: Map<number, { from: number; to: number }>;
}

/**
 * The engine's search path (positions by key, null for the head) as rows of the drawing (-1 for the head): the
 * nodes it stood on, and on each lane the rows from where it entered that lane to where it left it.
 */
function litPath(entries: MemtableEntryView[], path: SkipListPath): LitPath {
  const rowOf = new Map(entries.map((e, row) => [e.key, row]));
  const stops = new Set<string>();
  const lanes = new Map<number, { from: number; to: number }>();
  for (const { lane, key } of path) {
    const row = key === null ? -1 : (rowOf.get(key) ?? -1);
    stops.add(`${row} ${lane}`);
    const span = lanes.get(lane);
    lanes.set(lane, span ? { from: Math.min(span.from, row), to: Math.max(span.to, row) } : { from: row, to: row });
  }
  return { stops, lanes };
}

function entryClass(entry: MemtableEntryView, focus: Focus): string {
  return `entry ${entry.value === null ? 'tombstone' : ''} ${focus.kind === 'memtable' && focus.key === entry.key ? 'focused' : ''}`;
}

/** What a row shows besides its key, value and seq: the versions kept behind it, and a read at a snapshot. */
interface RowMarks {
  snapshots: number[];
  /** The seq of the version a read at a snapshot answered with from this row. */
  found: number | null;
  /** The scan's cursor stands at this row. */
  cursor: boolean;
}

function marksOf(
  entry: MemtableEntryView,
  snapshots: number[],
  read: ViewModel['read'],
  scan: ViewModel['scan'],
): RowMarks {
  const reading = read && !read.stale && read.key === entry.key ? read.memtableSeq : null;
  // A scan's merge step shown now that took this key's version from the memtable: that version is lit.
  const step = scan && !scan.stale ? scan.steps.at(-1) : undefined;
  const scanned = step?.source === 'memtable' && step.key === entry.key ? step.seq : null;
  return {
    snapshots,
    found: reading ?? scanned,
    cursor: !!scan && !scan.stale && scan.cursors.memtable === entry.key,
  };
}

/** Where the scan shown now stands against this row: at its cursor, or passed (the memtable's cursor is beyond). */
function scanState(entry: MemtableEntryView, scan: ViewModel['scan']): string | undefined {
  const at = scan && !scan.stale ? scan.cursors.memtable : undefined;
  if (at === undefined) return undefined;
  // Hex compares as the bytes it spells (engine/bytes.ts): rows before the cursor were merged already.
  return entry.key === at
    ? 'cursor'
    : entry.key < at && (scan!.start === null || entry.key >= scan!.start)
      ? 'passed'
      : undefined;
}

function scanClass(entry: MemtableEntryView, scan: ViewModel['scan']): string {
  const state = scanState(entry, scan);
  return state === 'cursor' ? 'scan-at' : state ? `scan-${state}` : '';
}

function EntryContent({ entry, marks }: { entry: MemtableEntryView; marks: RowMarks }) {
  const { t } = useTranslation('ui');
  const foundOlder = marks.found !== null && marks.found !== entry.seq ? marks.found : null;
  return (
    <>
      <KeyButton hex={entry.key} max={20} />
      <span className="value">{entry.value === null ? t('memtable.tombstone') : showBytes(entry.value, 16)}</span>
      <span className={`seq ${marks.found === entry.seq ? 'found' : ''}`}>#{entry.seq}</span>
      {marks.cursor && (
        <span className="scan-cursor" data-testid="scan-cursor" data-source="memtable" data-key={entry.key}>
          ◀ scan cursor
        </span>
      )}
      {entry.older && <KeptLines versions={entry.older} live={marks.snapshots} dropsAt="flush" found={foundOlder} />}
    </>
  );
}
