// A deeper level drawn along the key space: one bar per file (or per run of neighbouring files in a crowded level),
// placed by its real key range. A bar is a button: pressing it shows that file's details.
import { m as motion } from 'motion/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { showBytes, showCount, showSize } from '../../model/display';
import type { TableView } from '../../model/view';
import { PickOverlay } from '../Pickable';

/**
 * What a deeper level draws: each file, or, in a level of more than RUN_BARS files, runs of neighbouring plain files
 * as one bar each (at most about RUN_BARS bars). Files a reader should see on their own (being written, merged,
 * read, focused, moved) always stay single. `tables` are in read order, which in a deeper level is key order.
 */
export function bars(tables: TableView[], plain: (table: TableView) => boolean): Array<TableView | TableView[]> {
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

/** A deeper level draws at most about this many bars: beyond, neighbouring files share one (see bars()). */
export const RUN_BARS = 150;

/** Neighbouring files of a crowded level, drawn as one bar: each would be narrower than a pixel. */
export const RunGroup = memo(function RunGroup({
  tables,
  left,
  width,
  onChoose,
}: {
  tables: TableView[];
  left: number;
  width: number;
  onChoose: (tables: TableView[]) => void;
}) {
  const { t } = useTranslation('ui');
  const first = tables[0]!;
  const last = tables[tables.length - 1]!;
  return (
    <li className="run-file run-group" style={{ left: `${left * 100}%`, width: `max(6px, ${width * 100}%)` }}>
      <button
        type="button"
        aria-label={t('picture.runGroup', { count: tables.length, first: first.file, last: last.file })}
        onClick={() => onChoose(tables)}
        data-testid="sstable-group"
      />
    </li>
  );
});

/**
 * One file of a sorted run, placed along the key space. Deep levels hold hundreds of files in a long session: they
 * are plain elements that fade in with CSS, memoized, so that a picture only touches the files that changed. Only a
 * file in a trivial move gets a layoutId (and motion's layout measuring), to glide to its new level.
 */
export const RunFile = memo(function RunFile({
  table,
  className,
  left,
  width,
  layoutId,
  onChoose,
}: {
  table: TableView;
  className: string;
  left: number;
  width: number;
  layoutId: string | undefined;
  onChoose: (tables: TableView[]) => void;
}) {
  const { t } = useTranslation('ui');
  const props = {
    className,
    style: { left: `${left * 100}%`, width: `max(6px, ${width * 100}%)` },
    'data-testid': 'sstable',
  };
  const button = (
    <button
      type="button"
      aria-label={t('picture.runFile', {
        file: table.file,
        smallest: showBytes(table.smallest),
        largest: showBytes(table.largest),
      })}
      onClick={() => onChoose([table])}
    />
  );
  const pick = (
    <PickOverlay
      target="table"
      id={table.file}
      label={t('picture.pickTable', { file: table.file, level: table.level })}
    />
  );
  return layoutId ? (
    <motion.li {...props} layoutId={layoutId}>
      {button}
      {pick}
    </motion.li>
  ) : (
    <li {...props}>
      {button}
      {pick}
    </li>
  );
});

/** The file (or run of files) a bar stood for, spelled out: what a hover tooltip said, for a projector or a tap. */
export function FileDetails({ tables, onClose }: { tables: TableView[]; onClose: () => void }) {
  const { t } = useTranslation('ui');
  const first = tables[0]!;
  const last = tables[tables.length - 1]!;
  const entries = tables.reduce((sum, t) => sum + t.entries, 0);
  const size = tables.reduce((sum, t) => sum + t.size, 0);
  return (
    <div className="file-details" role="status" data-testid="file-details">
      <button type="button" className="quiet dismiss" onClick={onClose} aria-label={t('picture.closeDetails')}>
        ✕
      </button>
      <strong className="file-name">
        {tables.length === 1
          ? first.file
          : t('picture.filesRange', { count: tables.length, first: first.file, last: last.file })}
      </strong>{' '}
      L{first.level} · {showBytes(first.smallest, 20)} … {showBytes(last.largest, 20)} ·{' '}
      {t('picture.entries', { count: entries, n: showCount(entries) })} · {showSize(size)}
      {tables.length === 1 && ` · ${t('picture.blocks', { count: first.blocks })}`}
    </div>
  );
}
