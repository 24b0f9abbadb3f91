// One SSTable as a card: its name, key range and entries on screen (no hover needed), its state (written but not
// yet committed, being merged) and, during a Get, what the read found in it.
import { motion } from 'motion/react';
import { plural, showBytes, showSize } from '../../model/display';
import { cardStep } from '../../model/read-step';
import type { ReadStep, TableView } from '../../model/view';
import { useEntrances } from '../../store/store';
import { PickOverlay } from '../Pickable';

export type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

/** The motion id that lets a file glide between places: a flushed memtable's generation, or the file itself. */
export function layoutIdOf(table: TableView): string {
  return table.generation >= 0 ? `generation-${table.generation}` : `table-${table.file}`;
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
  const enter = useEntrances();
  return (
    <motion.li
      layoutId={animate ? layoutIdOf(table) : undefined}
      layout={animate ? 'position' : false}
      className={`table ${className}`}
      data-testid="sstable"
      data-file={table.file}
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
      {from && (
        <div className="merged-from" data-testid="merged-from">
          ← merged from {from.join(' + ')}
        </div>
      )}
      {step && <div className={`read-step read-${step.found}`}>{cardStep(step)}</div>}
      <PickOverlay target="table" id={table.file} label={`${table.file}, L${table.level}`} />
    </motion.li>
  );
}
