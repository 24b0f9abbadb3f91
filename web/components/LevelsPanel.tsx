import { AnimatePresence, motion } from 'motion/react';
import { memo } from 'react';
import type { LevelScore } from '../../engine';
import { plural, showBytes, showSize } from '../model/display';
import { keySpace } from '../model/keyspace';
import type { ReadStep, TableView } from '../model/view';
import { useEntrances, useLab, useLayoutAnimations } from '../store/store';

/** L0 cards shown in full; more are drawn as compact bars. */
const L0_CARDS = 6;
/**
 * A deeper level's new files fade in, unless the level is crowded: small memtables fill deep levels with thousands of
 * files a pixel wide, a compaction replaces hundreds at once, and each fading element is a compositor layer.
 */
const FADE_IN_MAX = 60;
/** A deeper level draws at most about this many bars: beyond, neighbouring files share one (see bars()). */
const RUN_BARS = 150;

type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

/**
 * The SSTables by level. L0 holds whole flushed memtables, newest first, whose key ranges overlap; every
 * deeper level is one sorted run, drawn along the key space so that its files visibly do not overlap.
 */
export function LevelsPanel() {
  const tables = useLab((s) => s.view.tables);
  const manifest = useLab((s) => s.view.manifest);
  const focus = useLab((s) => s.view.focus);
  const read = useLab((s) => s.view.read);
  const compaction = useLab((s) => s.view.compaction);
  const scores = useLab((s) => s.stats?.levels);
  const strategy = useLab((s) => s.settings.compaction);
  const animate = useLayoutAnimations();
  const enter = useEntrances();

  const steps = new Map<string, SstableStep>();
  for (const step of read?.steps ?? []) if (step.where === 'sstable') steps.set(step.file, step);
  const merging = new Set(compaction && !compaction.done ? compaction.inputs : []);
  /** The file a trivial move is taking down a level: it glides there (the only run file that animates its move). */
  const moving = compaction?.trivialMove ? compaction.inputs[0] : undefined;
  const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
  const levels = Array.from({ length: Math.max(2, deepest + 1) }, (_, level) => level);
  const all = tables.filter((t) => t.smallest !== '');
  const position = all.length
    ? keySpace(
        all.reduce((min, t) => (t.smallest < min ? t.smallest : min), all[0]!.smallest),
        all.reduce((max, t) => (t.largest > max ? t.largest : max), all[0]!.largest),
      )
    : () => 0;

  const state = (t: TableView) =>
    `${t.committed ? '' : 'uncommitted'} ${merging.has(t.file) ? 'merging' : ''} ${focus.kind === 'sstable' && focus.file === t.file ? 'focused' : ''}`;

  return (
    <section className="panel disk levels" aria-label="SSTables">
      <h2 id="sst-title">
        SSTables <span className="tag">disk</span>
      </h2>
      <p className="explain">
        Immutable sorted files. Reads try L0 newest first, then one file per deeper level.{' '}
        {strategy === 'off'
          ? 'Compaction is off.'
          : `Compaction: ${strategy === 'tiered' ? 'size-tiered' : 'leveled'}.`}
      </p>
      {compaction && <CompactionBanner />}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that can scroll must be reachable by keyboard (WCAG 2.1.1) */}
      <div className="levels-body" tabIndex={0}>
        {levels.map((level) => {
          const here = tables.filter((t) => t.level === level);
          return (
            <div className="level-row" key={level} data-testid={`level-${level}`}>
              <LevelHeading level={level} tables={here} score={scores?.find((s) => s.level === level)} />
              {level === 0 ? (
                <ol className="tables">
                  <AnimatePresence initial={false}>
                    {here.slice(0, L0_CARDS).map((t) => (
                      <TableCard
                        key={t.file}
                        table={t}
                        className={state(t)}
                        step={steps.get(t.file)}
                        animate={animate}
                      />
                    ))}
                  </AnimatePresence>
                  {here.length > L0_CARDS && (
                    <li className="more">
                      … and {here.length - L0_CARDS} older L0 files (
                      {showSize(here.slice(L0_CARDS).reduce((s, t) => s + t.size, 0))})
                    </li>
                  )}
                  {here.length === 0 && <li className="empty">Empty: fill the memtable, or press Flush.</li>}
                </ol>
              ) : (
                <ol className="run" aria-label={`Level ${level} files by key range`}>
                  {bars(here, (t) => state(t).trim() === '' && !steps.has(t.file) && moving !== t.file).map((bar) => {
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
                        />
                      );
                    }
                    const t = bar;
                    const left = position(t.smallest);
                    const width = Math.max(position(t.largest) - left, 0);
                    const step = steps.get(t.file);
                    return (
                      <RunFile
                        key={t.file}
                        table={t}
                        className={`run-file ${state(t)} ${step ? `read-${step.found}` : ''} ${enter && here.length <= FADE_IN_MAX ? 'fade-in' : ''}`}
                        left={left}
                        width={width}
                        layoutId={animate && moving === t.file ? layoutIdOf(t) : undefined}
                      />
                    );
                  })}
                  {here.length === 0 && <li className="empty">Empty.</li>}
                </ol>
              )}
            </div>
          );
        })}
      </div>
      <div className={`manifest ${focus.kind === 'manifest' ? 'focused' : ''}`} data-testid="manifest">
        <span className="file-name">{manifest.file || 'MANIFEST'}</span>
        <span>
          {manifest.records} {manifest.records === 1 ? 'record' : 'records'} · {manifest.size} bytes
        </span>
        <span className="explain">the commit point: lists the live SSTables</span>
      </div>
    </section>
  );
}

function layoutIdOf(table: TableView): string {
  return table.generation >= 0 ? `generation-${table.generation}` : `table-${table.file}`;
}

function LevelHeading({ level, tables, score }: { level: number; tables: TableView[]; score: LevelScore | undefined }) {
  const bytes = tables.reduce((sum, t) => sum + t.size, 0);
  let target = '';
  if (score?.target !== undefined) {
    target = level === 0 ? ` · compacts at ${score.target} files` : ` · target ${showSize(score.target)}`;
  }
  return (
    <h3 className={`level-heading ${score && score.score >= 1 ? 'over' : ''}`}>
      <span className="level">L{level}</span> {tables.length} {tables.length === 1 ? 'file' : 'files'} ·{' '}
      {showSize(bytes)}
      {target}
    </h3>
  );
}

function TableCard({
  table,
  className,
  step,
  animate,
}: {
  table: TableView;
  className: string;
  step: SstableStep | undefined;
  animate: boolean;
}) {
  const enter = useEntrances();
  return (
    <motion.li
      layoutId={animate ? layoutIdOf(table) : undefined}
      layout={animate}
      className={`table ${className}`}
      data-testid="sstable"
      initial={enter ? { opacity: 0 } : false}
      animate={{ opacity: 1 }}
      exit={enter ? { opacity: 0, scale: 0.8 } : { opacity: 0, transition: { duration: 0 } }}
      transition={{ duration: 0.5 }}
    >
      <div className="file-head">
        <span className="file-name">{table.file}</span>
        <span className="file-size">{showSize(table.size)}</span>
      </div>
      <div className="range">
        {showBytes(table.smallest, 16)} … {showBytes(table.largest, 16)}
      </div>
      <div className="meta">
        {plural(table.entries, 'entry', 'entries')} · {plural(table.blocks, 'block')}
        {table.size < table.dataBytes && ` · compressed from ${showSize(table.dataBytes)}`}
        {!table.committed && <span className="pending-note"> · not in the manifest yet</span>}
      </div>
      {step && <div className={`read-step read-${step.found}`}>{describeStep(step)}</div>}
    </motion.li>
  );
}

export function describeStep(step: SstableStep): string {
  switch (step.found) {
    case 'out-of-range':
      return 'key out of range: skipped';
    case 'bloom-negative':
      return 'bloom filter: definitely not here';
    case 'absent':
      return `read block ${step.block}: not here`;
    case 'value':
      return `read block ${step.block}: found`;
    case 'tombstone':
      return `read block ${step.block}: tombstone`;
  }
}

function CompactionBanner() {
  const compaction = useLab((s) => s.view.compaction)!;
  const compactions = useLab((s) => s.view.compactions);
  return (
    <div className={`compaction ${compaction.done ? 'done' : 'running'}`} data-testid="compaction">
      <strong>{compaction.done ? `Compaction #${compactions} done` : 'Compacting'}</strong> ({compaction.strategy}):{' '}
      {compaction.reason}.{' '}
      {compaction.trivialMove
        ? `${compaction.inputs[0]} moves to L${compaction.outputLevel} as is.`
        : compaction.done
          ? `${plural(compaction.entriesRead, 'entry', 'entries')} in, ${compaction.entriesWritten} out → ${plural(compaction.outputs.length, 'file')} in L${compaction.outputLevel}.`
          : `Merging ${plural(compaction.inputs.length, 'file')} into L${compaction.outputLevel}.`}
    </div>
  );
}

/**
 * What a deeper level draws: each file, or, in a level of more than RUN_BARS files, runs of neighbouring plain files
 * as one bar each (at most about RUN_BARS bars). Files a reader should see on their own (being written, merged,
 * read, focused, moved) always stay single. `tables` are in read order, which in a deeper level is key order.
 */
function bars(tables: TableView[], plain: (table: TableView) => boolean): Array<TableView | TableView[]> {
  if (tables.length <= RUN_BARS) return tables;
  const per = Math.ceil(tables.length / RUN_BARS);
  const out: Array<TableView | TableView[]> = [];
  let group: TableView[] = [];
  const close = () => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) out.push(group);
    group = [];
  };
  for (const table of tables) {
    if (!plain(table)) {
      close();
      out.push(table);
      continue;
    }
    group.push(table);
    if (group.length === per) close();
  }
  close();
  return out;
}

/** Neighbouring files of a crowded level, drawn as one bar: each would be narrower than a pixel. */
const RunGroup = memo(function RunGroup({ tables, left, width }: { tables: TableView[]; left: number; width: number }) {
  const first = tables[0]!;
  const last = tables[tables.length - 1]!;
  const entries = tables.reduce((sum, t) => sum + t.entries, 0);
  const size = tables.reduce((sum, t) => sum + t.size, 0);
  return (
    <li
      className="run-file run-group"
      style={{ left: `${left * 100}%`, width: `max(6px, ${width * 100}%)` }}
      title={`${tables.length} files, ${first.file} … ${last.file}: ${showBytes(first.smallest)} … ${showBytes(last.largest)}, ${entries} entries, ${showSize(size)}`}
      data-testid="sstable-group"
    />
  );
});

/**
 * One file of a sorted run, placed along the key space. Deep levels hold hundreds of files in a long session: they
 * are plain elements that fade in with CSS, memoized, so that a picture only touches the files that changed. Only a
 * file in a trivial move gets a layoutId (and motion's layout measuring), to glide to its new level.
 */
const RunFile = memo(function RunFile({
  table,
  className,
  left,
  width,
  layoutId,
}: {
  table: TableView;
  className: string;
  left: number;
  width: number;
  layoutId: string | undefined;
}) {
  const props = {
    className,
    style: { left: `${left * 100}%`, width: `max(6px, ${width * 100}%)` },
    title: `${table.file}: ${showBytes(table.smallest)} … ${showBytes(table.largest)}, ${table.entries} entries, ${showSize(table.size)}`,
    'data-testid': 'sstable',
  };
  return layoutId ? <motion.li {...props} layoutId={layoutId} /> : <li {...props} />;
});
