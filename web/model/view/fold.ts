// foldEvents: applyEvent over many events at once, with a fast path for the table list. The player folds from a
// checkpoint on every seek, and a compaction in a deep tree writes thousands of table events in a row.
import type { TimelineEvent } from '../timeline';
import { applyEvent } from './apply';
import { edited, removeFile, written } from './tables';
import { initialView, type TableView, type ViewModel } from './view-model';

/**
 * applyEvent over `events`, from `from`, with the same result. Runs of SSTable writes and removals (a compaction
 * writes its outputs one event each: thousands once small memtables have filled deep levels) edit one copy of the
 * table list in place instead of copying the list for every event.
 *
 * The fast path is the picture's mirror of the engine's Version.apply (engine/manifest/version.ts): there, a
 * manifest edit deletes the tables it removes and sets the tables it adds in one mutable map, and the read order
 * is computed afterwards; here, the draft list is mutated the same way while events come, kept in read order as it
 * goes (tables.ts), and frozen into the view once the run ends. No one sees the draft before then, so the views
 * stay immutable for everyone who looks.
 */
export function foldEvents(events: readonly TimelineEvent[], from: ViewModel = initialView): ViewModel {
  let view = from;
  /** Once a table event came: the table list, edited in place (`view.tables` is stale meanwhile, and never seen). */
  let draft: TableView[] | undefined;
  for (const event of events) {
    if (event.type === 'sstable.write') {
      draft ??= view.tables.slice();
      view = written(view, event, draft);
    } else if (event.type === 'sstable.remove') {
      draft ??= view.tables.slice();
      removeFile(draft, event.file);
    } else if (event.type === 'manifest.edit') {
      draft ??= view.tables.slice();
      view = edited(view, event, draft);
    } else if (event.type === 'recovery.begin' || event.type === 'recovery.manifest') {
      // The only other events that touch the tables (they replace them).
      if (draft) view = { ...view, tables: draft };
      draft = undefined;
      view = applyEvent(view, event);
    } else {
      view = applyEvent(view, event);
    }
  }
  return draft ? { ...view, tables: draft } : view;
}
