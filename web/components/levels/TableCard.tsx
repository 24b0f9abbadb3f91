// One SSTable as a card: its name, key range and entries on screen (no hover needed), its state (written but not
// yet committed, being merged, found corrupt) and, during a Get, what the read found in it.
import { m as motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { showBytes, showCount, showSize } from '../../model/display';
import { cardStep } from '../../model/read-step';
import type { ReadStep, TableView } from '../../model/view';
import { useEntrances } from '../../store/hooks';
import { MARK_WORDS, markOf, usePick } from '../../store/pick';
import { useLab } from '../../store/store';
import { PickOverlay } from '../Pickable';
import { KeptLines } from '../snapshots/KeptLines';

export type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

/**
 * The motion id that lets a file glide between places: a flushed memtable's generation, or the file itself, in
 * this database (`epoch`: a reset or another database's files may reuse the numbers and the names).
 */
export function layoutIdOf(table: TableView, epoch: number): string {
  return table.generation >= 0 ? `${epoch}:generation-${table.generation}` : `${epoch}:table-${table.file}`;
}

export function TableCard({
  table,
  className,
  step,
  animate,
  from,
}: {
  table: TableView;
  className: string;
  step: SstableStep | undefined;
  animate: boolean;
  /** Just written by a compaction: the input files it was merged from. */
  from?: string[] | undefined;
}) {
  const { t } = useTranslation('ui');
  const enter = useEntrances();
  const epoch = useLab((s) => s.epoch);
  const kept = useLab((s) => s.view.kept[table.file]);
  const snapshots = useLab((s) => s.view.snapshots);
  // The engine reported this file corrupt (a block's checksum failed): where, on the file itself.
  const damage = useLab((s) => (s.view.corruption?.file === table.file ? s.view.corruption : null));
  const scan = useLab((s) => (s.view.scan && !s.view.scan.stale ? s.view.scan : null));
  const merging = scan?.sources.includes(table.file);
  const cursorAt = scan?.cursors[table.file];
  const lastStep = scan?.steps.at(-1);
  // The merge step shown now took its winner here, or passed over a version here.
  const stepHere =
    lastStep?.source === table.file
      ? 'won'
      : lastStep?.skipped.some((v) => v.source === table.file)
        ? 'skipped'
        : undefined;
  return (
    <motion.li
      layoutId={animate ? layoutIdOf(table, epoch) : undefined}
      layout={animate ? 'position' : false}
      className={`table ${className}${damage ? ' corrupt' : ''}`}
      data-testid="sstable"
      data-file={table.file}
      data-scan-step={stepHere}
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
        {t('picture.entries', { count: table.entries, n: showCount(table.entries) })} ·{' '}
        {t('picture.blocks', { count: table.blocks })}
        {table.size < table.dataBytes && t('picture.compressedFrom', { size: showSize(table.dataBytes) })}
        {!table.committed && <span className="pending-note">{t('picture.notInManifest')}</span>}
      </div>
      {from && <MergedFrom files={from} />}
      {step && <div className={`read-step read-${step.found}`}>{cardStep(step)}</div>}
      {damage && (
        <div className="read-step read-corrupt" data-testid="corrupt-note" title={damage.detail}>
          {t('picture.corrupt', { offset: damage.offset })}
        </div>
      )}
      {kept && <KeptLines versions={kept} live={snapshots} dropsAt="compaction" keyShown />}
      {merging && (
        <div
          className={`scan-cursor ${stepHere ? `step-${stepHere}` : ''}`}
          data-testid="scan-cursor"
          data-source={table.file}
          data-key={cursorAt}
        >
          {cursorAt === undefined
            ? t('picture.cursor.start')
            : stepHere === 'won'
              ? t('picture.cursor.won', { key: showBytes(cursorAt, 12) })
              : stepHere === 'skipped'
                ? t('picture.cursor.skipped', { key: showBytes(cursorAt, 12) })
                : t('picture.cursor.past', { key: showBytes(cursorAt, 12) })}
        </div>
      )}
      <PickOverlay
        target="table"
        id={table.file}
        label={t('picture.pickTable', { file: table.file, level: table.level })}
      />
    </motion.li>
  );
}

const FROM_BADGES: Partial<Record<string, string>> = { right: '✓', wrong: '✗', missed: '○' };

/**
 * The input files a compaction output was merged from. Those inputs are gone from the picture once the compaction
 * is done, so a question about them ("which files will it read?") is marked here, on their names.
 */
function MergedFrom({ files }: { files: string[] }) {
  const { t } = useTranslation('ui');
  const pick = usePick((s) => s.pick);
  return (
    <div className="merged-from" data-testid="merged-from">
      {t('picture.mergedFrom')}{' '}
      {files.map((file, i) => {
        const mark = markOf(pick, 'table', file);
        const badge = FROM_BADGES[mark];
        return (
          <span key={file}>
            {i > 0 && ' + '}
            <span className={`from-file ${badge ? `pick-${mark}` : ''}`} data-pick-from={file} data-mark={mark}>
              {file}
              {badge && <span aria-hidden="true"> {badge}</span>}
              {badge && <span className="visually-hidden"> ({MARK_WORDS[mark]})</span>}
            </span>
          </span>
        );
      })}
    </div>
  );
}
