import type { LevelScore } from '@lsm-lab/engine';
import { AnimatePresence, m as motion } from 'motion/react';
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n';
import { lazyPart } from '../layout/lazy-part';
import { showCount, showSize } from '../model/display';
import { keySpace } from '../model/keyspace';
import type { TableView } from '../model/view';
import { useFades, useLayoutAnimations } from '../store/hooks';
import { usePick } from '../store/pick';
import { useLab } from '../store/store';
import { bars, FileDetails, RunFile, RunGroup } from './levels/Run';
import { layoutIdOf, type SstableStep, TableCard } from './levels/TableCard';
import { PickOverlay } from './Pickable';

// Shown during a compaction and a read only: chunks of their own (layout/lazy-part.tsx).
const CompactionBanner = lazyPart(() => import('./levels/CompactionBanner'), 'CompactionBanner');
const ReadProbe = lazyPart(() => import('./levels/ReadProbe'), 'ReadProbe');

/** Level rows stack upwards, L0 over L1 over L2 …: row L(n) is layer ROW_LAYERS - n. */
const ROW_LAYERS = 100;

/** While the tree holds this many SSTables or fewer, every file is a card with its name and key range. */
const ALL_CARDS_UP_TO = 16;
/** Beyond that, L0 shows its newest files as cards; deeper levels are bars along the key space. */
const L0_CARDS = 6;
/**
 * A deeper level's new files fade in, unless the level is crowded: small memtables fill deep levels with thousands of
 * files a pixel wide, a compaction replaces hundreds at once, and each fading element is a compositor layer.
 */
const FADE_IN_MAX = 60;
/** Files named per side of a manifest record: a compaction of dozens of files would fill the panel. */
const MANIFEST_FILES_SHOWN = 4;
/** Manifest records shown, outside a recovery: the levels above need the room more. */
const MANIFEST_RECORDS_SHOWN = 3;

/**
 * The SSTables by level. L0 holds whole flushed memtables, newest first, whose key ranges overlap; every deeper
 * level is one sorted run. A small tree draws every file as a card; a large one draws deeper levels along the key
 * space (bytewise, as the engine orders keys), so that their files visibly do not overlap, and a bar pressed shows
 * its file's details.
 */
export function LevelsPanel() {
  const { t } = useTranslation('ui');
  const tables = useLab((s) => s.view.tables);
  const manifest = useLab((s) => s.view.manifest);
  // The newest few records; during a recovery every one drawn, faint until read back.
  const recovering = useLab((s) => s.view.recovery !== null && !s.view.recovery.done);
  const records = recovering ? manifest.log : manifest.log.slice(-MANIFEST_RECORDS_SHOWN);
  const focus = useLab((s) => s.view.focus);
  const read = useLab((s) => s.view.read);
  const compaction = useLab((s) => s.view.compaction);
  // A half-written SSTable: a torn WAL append is the WAL's to draw (its torn tail), not a file card here.
  // The database the picture is of: a new one's cards are never the old one's (see the store's `epoch`).
  const epoch = useLab((s) => s.epoch);
  const torn = useLab((s) => (s.view.tornFile?.file.endsWith('.sst') ? s.view.tornFile : null));
  const scores = useLab((s) => s.stats?.levels);
  const strategy = useLab((s) => s.settings.compaction);
  // While a question asks to point at the picture, what is pointed at holds still: no card glides (one caught
  // mid-flight when the question opened could stay there, and a moving card is hard to press). The step's actions
  // then play with their glides as usual.
  const pointing = usePick((s) => s.pick !== null && !s.pick.locked && s.pick.answer === null);
  const animate = useLayoutAnimations() && !pointing;
  const fade = useFades();
  const [chosen, setChosen] = useState<TableView[] | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const focusedFile = focus.kind === 'sstable' ? focus.file : undefined;
  // The probe grows sub-step by sub-step, and the levels above it shrink: looked at again after each.
  const lastStep = read?.steps.at(-1);
  const probeStep =
    read && !read.stale ? `${read.steps.length} ${lastStep?.where === 'sstable' ? lastStep.phase : ''}` : '';
  // While the levels scroll (a Get's probe takes the panel's foot, presenter mode's large type), the file the
  // engine is at is scrolled into view: its card says the step being shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: probeStep says when to look again, not what to look at
  useEffect(() => {
    const container = body.current;
    if (!container || !focusedFile) return;
    const scroll = () => {
      if (container.scrollHeight <= container.clientHeight) return;
      const card = container.querySelector<HTMLElement>(`[data-file="${CSS.escape(focusedFile)}"]`);
      if (!card) return;
      const view = container.getBoundingClientRect();
      const box = card.getBoundingClientRect();
      if (box.top < view.top) container.scrollTop -= view.top - box.top + 4;
      // Up to its foot, but never past its head: a card taller than the room (a read's step and a corruption note
      // under it, in presenter mode's large type) keeps its name in view, which the class reads first.
      else if (box.bottom > view.bottom)
        container.scrollTop += Math.max(0, Math.min(box.bottom - view.bottom + 4, box.top - view.top - 4));
    };
    if (!useLab.getState().workload.running) {
      scroll();
      return;
    }
    // A workload's picture is rendered in a timer task (store/player.ts): measured there, the page's layout was
    // forced inside it. Measured in the frame that paints the picture, the layout is the one the frame makes anyway.
    const frame = requestAnimationFrame(scroll);
    return () => cancelAnimationFrame(frame);
  }, [focusedFile, probeStep]);

  const steps = new Map<string, SstableStep>();
  for (const step of read?.steps ?? []) if (step.where === 'sstable') steps.set(step.file, step);
  const merging = new Set(compaction && !compaction.done && !compaction.failed ? compaction.inputs : []);
  /** The file a trivial move is taking down a level: it glides there (the only run file that animates its move). */
  const moving = compaction?.trivialMove ? compaction.inputs[0] : undefined;
  const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
  // A question about levels shows each one, and the one below the deepest (a compaction may open it).
  const pickingLevel = usePick((s) => s.pick?.target === 'level');
  // …and a question about files shows each file on its own, never a run of them as one bar.
  const pickingTable = usePick((s) => s.pick?.target === 'table');
  const levels = Array.from({ length: Math.max(2, deepest + (pickingLevel ? 2 : 1)) }, (_, level) => level);
  // Levels between L0 and the deepest that hold nothing (dynamic level sizes compact L0 straight into a deep base
  // level) are drawn as one line, not a stack of empty rows.
  const held = new Set(tables.map((t) => t.level));
  const emptyBetween = pickingLevel ? [] : levels.filter((level) => level > 0 && level < deepest && !held.has(level));
  const all = tables.filter((t) => t.smallest !== '');
  const allCards = tables.length <= ALL_CARDS_UP_TO;
  const position = all.length
    ? keySpace(
        all.reduce((min, t) => (t.smallest < min ? t.smallest : min), all[0]!.smallest),
        all.reduce((max, t) => (t.largest > max ? t.largest : max), all[0]!.largest),
      )
    : () => 0;
  // The details shown are of files still on disk: a compaction may have removed the chosen ones since.
  const details = chosen?.filter((t) => tables.includes(t)) ?? [];

  const hides = read && !read.stale && read.done ? read.hidden?.source : undefined;
  const state = (t: TableView) =>
    `${t.committed ? '' : 'uncommitted'} ${merging.has(t.file) ? 'merging' : ''} ${focus.kind === 'sstable' && focus.file === t.file ? 'focused' : ''} ${hides === t.file ? 'hidden-holder' : ''}`;

  // The last compaction's outputs, each with the inputs it was merged from (the engine links them by key range).
  const mergedFrom = new Map(
    compaction?.done && !compaction.trivialMove ? compaction.links.map((l) => [l.output, l.inputs]) : [],
  );
  const cards = (files: TableView[]) => (
    <AnimatePresence initial={false}>
      {files.map((t) => (
        <TableCard
          key={`${epoch}:${t.file}`}
          table={t}
          className={`${state(t)} ${mergedFrom.has(t.file) ? 'compaction-output' : ''}`}
          step={steps.get(t.file)}
          animate={animate}
          from={mergedFrom.get(t.file)}
        />
      ))}
    </AnimatePresence>
  );

  return (
    <section className={`panel disk levels ${read && !read.stale ? 'probing' : ''}`} aria-label={t('levels.title')}>
      <h2 id="sst-title">
        {t('levels.title')} <span className="tag">{t('wal.disk')}</span>
      </h2>
      <p className="explain">
        {t('levels.explain')}{' '}
        {strategy === 'off'
          ? t('levels.compactionOff')
          : strategy === 'tiered'
            ? t('levels.compactionTiered')
            : t('levels.compactionLeveled')}
      </p>
      {compaction && <CompactionBanner />}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that can scroll must be reachable by keyboard (WCAG 2.1.1) */}
      <div className={`levels-body ${animate ? '' : 'still'}`} tabIndex={0} ref={body}>
        {torn && (
          <div className="table torn" data-testid="torn-sstable">
            <div className="file-head">
              <span className="file-name">{torn.file}</span>
              <span className="file-size">{showSize(torn.size)}</span>
            </div>
            <div className="meta">{t('levels.halfWritten')}</div>
          </div>
        )}
        {levels.map((level) => {
          if (emptyBetween.includes(level)) {
            if (emptyBetween.includes(level - 1)) return null;
            let last = level;
            while (emptyBetween.includes(last + 1)) last++;
            return (
              <p className="levels-empty" key={level} data-testid="levels-empty">
                L{level}
                {last > level && `–L${last}`} {t('levels.emptyBetween')}
              </p>
            );
          }
          const here = tables.filter((t) => t.level === level);
          const shown = level === 0 && !allCards ? here.slice(0, L0_CARDS) : here;
          return (
            // A level moves as one, its heading with its files: when the rows above grow or shrink (a compaction's
            // banner, L0 emptied), the row glides, and its cards glide only within it, never over its heading. It
            // glides under the rows above it, never over them: when a card above grows (a read's mark, a corrupt
            // note), the row below starts where it was and would otherwise pass over the card's new last line.
            <motion.div
              className="level-row"
              key={level}
              data-testid={`level-${level}`}
              layout={animate ? 'position' : false}
              style={{ zIndex: ROW_LAYERS - level }}
            >
              <LevelHeading
                level={level}
                files={here.length}
                bytes={here.reduce((sum, table) => sum + table.size, 0)}
                score={scores?.find((s) => s.level === level)}
              />
              <PickOverlay target="level" id={`L${level}`} label={t('levels.level', { level })} />
              {level === 0 || allCards ? (
                <ol className="tables">
                  {cards(shown)}
                  {here.length > shown.length && (
                    <li className="more">
                      …{' '}
                      {t('levels.olderL0', {
                        count: here.length - shown.length,
                        n: showCount(here.length - shown.length),
                        size: showSize(here.slice(shown.length).reduce((s, t) => s + t.size, 0)),
                      })}
                    </li>
                  )}
                  {here.length === 0 && (
                    <li className="empty">{level === 0 ? t('levels.emptyL0') : t('memtable.empty')}</li>
                  )}
                </ol>
              ) : (
                <ol className="run" aria-label={t('levels.runLabel', { level })}>
                  {bars(
                    here,
                    (t) => !pickingTable && state(t).trim() === '' && !steps.has(t.file) && moving !== t.file,
                  ).map((bar) => {
                    if (Array.isArray(bar)) {
                      const first = bar[0]!;
                      const last = bar[bar.length - 1]!;
                      const left = position(first.smallest);
                      return (
                        <RunGroup
                          key={`${first.file} ${last.file}`}
                          tables={bar}
                          left={left}
                          width={Math.max(position(last.largest) - left, 0)}
                          onChoose={setChosen}
                        />
                      );
                    }
                    const t = bar;
                    const left = position(t.smallest);
                    const step = steps.get(t.file);
                    return (
                      <RunFile
                        key={`${epoch}:${t.file}`}
                        table={t}
                        className={`run-file ${state(t)} ${step ? `read-${step.found}` : ''} ${fade && here.length <= FADE_IN_MAX ? 'fade-in' : ''} ${details.includes(t) ? 'chosen' : ''}`}
                        left={left}
                        width={Math.max(position(t.largest) - left, 0)}
                        layoutId={animate && moving === t.file ? layoutIdOf(t, epoch) : undefined}
                        onChoose={setChosen}
                      />
                    );
                  })}
                  {here.length === 0 && <li className="empty">{t('memtable.empty')}</li>}
                </ol>
              )}
            </motion.div>
          );
        })}
      </div>
      {details.length > 0 && <FileDetails tables={details} onClose={() => setChosen(null)} />}
      {read && !read.stale && <ReadProbe read={read} />}
      <div className={`manifest ${focus.kind === 'manifest' ? 'focused' : ''}`} data-testid="manifest">
        <span className="file-name">{manifest.file || 'MANIFEST'}</span>
        <span>
          {t('wal.records', { count: manifest.records })} · {t('wal.bytes', { count: manifest.size })}
        </span>
        <span className="explain">{t('levels.manifestExplain')}</span>
        {records.length > 0 && (
          <ol className="manifest-records" aria-label={t('levels.manifestRecords')}>
            {manifest.records > records.length && <li className="more">…</li>}
            {records.map((r) => (
              <li
                key={r.offset}
                className={`manifest-record ${r.read ? 'read' : 'unread'}`}
                data-testid="manifest-record"
                data-read={r.read}
              >
                @{r.offset} {fileList(r.added, '+')}
                {r.removed.length > 0 && ` ${fileList(r.removed, '−')}`}
                {r.added.length + r.removed.length === 0 && t('levels.newLog')}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

/** A manifest record's added or removed files: the first few by number, then how many more (one line each). */
function fileList(files: string[], sign: string): string {
  const shown = files.length > MANIFEST_FILES_SHOWN ? files.slice(0, MANIFEST_FILES_SHOWN - 1) : files;
  const names = shown.map((f) => `${sign}${f.replace('.sst', '')}`).join(' ');
  return shown.length < files.length
    ? `${names} ${sign}${i18n.t('ui:memtable.more', { count: files.length - shown.length })}`
    : names;
}

/**
 * Memoized, with numbers for props: a picture re-renders the panel, and most levels' headings say the same. The
 * stats are a new object with every batch of events: a score counts as changed only when what is drawn of it did.
 */
const LevelHeading = memo(
  function LevelHeading({
    level,
    files,
    bytes,
    score,
  }: {
    level: number;
    files: number;
    bytes: number;
    score: LevelScore | undefined;
  }) {
    const { t } = useTranslation('ui');
    let target = '';
    if (score?.target !== undefined) {
      target =
        level === 0
          ? ` · ${t('levels.compactsAt', { count: score.target })}`
          : ` · ${t('levels.target', { size: showSize(score.target) })}`;
    }
    return (
      <h3 className={`level-heading ${score && score.score >= 1 ? 'over' : ''}`}>
        <span className="level">L{level}</span> {t('levels.files', { count: files })} · {showSize(bytes)}
        {target}
      </h3>
    );
  },
  (a, b) =>
    a.level === b.level &&
    a.files === b.files &&
    a.bytes === b.bytes &&
    a.score?.target === b.score?.target &&
    (a.score?.score ?? 0) >= 1 === (b.score?.score ?? 0) >= 1,
);
