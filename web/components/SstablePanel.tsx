import { AnimatePresence, motion } from 'motion/react';
import { showBytes, showSize } from '../model/display';
import type { ReadStep, TableView } from '../model/view';
import { useLab } from '../store/store';

const SHOWN = 30;

export function SstablePanel() {
  const tables = useLab((s) => s.view.tables);
  const manifest = useLab((s) => s.view.manifest);
  const focus = useLab((s) => s.view.focus);
  const read = useLab((s) => s.view.read);
  const stepFor = (file: string) =>
    read?.steps.find((s): s is Extract<ReadStep, { where: 'sstable' }> => s.where === 'sstable' && s.file === file);

  return (
    <section className="panel disk" aria-labelledby="sst-title">
      <h2 id="sst-title">
        SSTables <span className="tag">disk</span>
      </h2>
      <p className="explain">Immutable sorted files, newest first. Reads try them in this order.</p>
      <ol className="tables" data-testid="sstables">
        <AnimatePresence initial={false}>
          {tables.slice(0, SHOWN).map((t) => (
            <Table
              key={t.file}
              table={t}
              focused={focus.kind === 'sstable' && focus.file === t.file}
              step={stepFor(t.file)}
            />
          ))}
        </AnimatePresence>
        {tables.length === 0 && <li className="empty">None yet: fill the memtable, or press Flush.</li>}
        {tables.length > SHOWN && <li className="more">… {tables.length - SHOWN} older SSTables</li>}
      </ol>
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

function Table({
  table,
  focused,
  step,
}: {
  table: TableView;
  focused: boolean;
  step: Extract<ReadStep, { where: 'sstable' }> | undefined;
}) {
  return (
    <motion.li
      layoutId={table.generation >= 0 ? `generation-${table.generation}` : undefined}
      layout
      className={`table ${table.committed ? '' : 'uncommitted'} ${focused ? 'focused' : ''}`}
      data-testid="sstable"
      initial={{ opacity: 0 }}
      animate={{ opacity: 1 }}
      exit={{ opacity: 0, scale: 0.8 }}
      transition={{ duration: 0.5 }}
    >
      <div className="file-head">
        <span className="level">L{table.level}</span>
        <span className="file-name">{table.file}</span>
        <span className="file-size">{showSize(table.size)}</span>
      </div>
      <div className="range">
        {showBytes(table.smallest, 16)} … {showBytes(table.largest, 16)}
      </div>
      <div className="meta">
        {table.entries} entries · {table.blocks} {table.blocks === 1 ? 'block' : 'blocks'}
        {!table.committed && <span className="pending-note"> · not in the manifest yet</span>}
      </div>
      {step && (
        <div className={`read-step read-${step.found}`}>
          {step.found === 'out-of-range'
            ? 'key out of range: skipped'
            : `read block ${step.block}: ${step.found === 'value' ? 'found' : step.found === 'tombstone' ? 'tombstone' : 'not here'}`}
        </div>
      )}
    </motion.li>
  );
}
