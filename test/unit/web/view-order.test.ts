// The picture keeps SSTables in the engine's read order by inserting each new table in its place
// (web/model/view/tables.ts) rather than sorting them all on every event, and foldEvents edits one table list in
// place through a run of writes and removals: after every event of a long run whose compactions write many outputs
// the tables are exactly as orderForReads sorts them, folding in chunks gives the same views as event by event, and
// both end at the engine's own state.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8, workloadOps } from '../../../engine';
import { orderForReads } from '../../../engine/manifest/version';
import type { TimelineEvent } from '../../../web/model/timeline';
import { applyEvent, foldEvents, initialView, type ViewModel, viewToState } from '../../../web/model/view';

describe('the tables of the view', () => {
  it('stay in read order through thousands of flushes and compactions', async () => {
    const events: TimelineEvent[] = [];
    const storage = new MemoryStorage();
    const open = () => LsmTree.open(storage, { memtableBytes: 128, blockSize: 64, onEvent: (e) => events.push(e) });
    let db = await open();
    const spec = {
      operations: 0,
      distribution: 'random' as const,
      keySpace: 400,
      readPercent: 0,
      updatePercent: 20,
      deletePercent: 5,
      valueBytes: 8,
      seed: 7,
    };
    const run = async (ops: number, seed: number) => {
      for (const op of workloadOps({ ...spec, operations: ops, seed })) {
        if (op.op === 'put') await db.put(op.key, op.value);
        else if (op.op === 'delete') await db.delete(op.key);
      }
    };
    await run(1500, 7);
    // A crash and the recovery that reopens the files: events that replace the tables, amid the runs. With a
    // flushed table in L0, which the recovered picture draws differently (by file, not by memtable generation).
    for (let i = 0; !(await db.describe()).tables.some((t) => t.level === 0); i++) {
      await db.put(utf8(`extra:${i}`), utf8('value'));
    }
    events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: (await db.describe()).memtable.length });
    storage.crash();
    db = await open();
    await run(300, 8);
    let view = initialView;
    let widest = 0;
    const views: ViewModel[] = [];
    for (const event of events) {
      view = applyEvent(view, event);
      views.push(view);
      if (event.type === 'sstable.write' || event.type === 'sstable.remove' || event.type === 'manifest.edit') {
        expect(view.tables).toEqual(orderForReads(view.tables));
        widest = Math.max(widest, view.tables.length);
      }
    }
    expect(widest).toBeGreaterThan(20);
    // Trivial moves (a table removed and added again at the next level) and compactions with many outputs.
    const moves = events.filter((e) => e.type === 'compaction.begin' && e.trivialMove).length;
    const edits = events.filter((e) => e.type === 'manifest.edit');
    expect(moves).toBeGreaterThan(0);
    expect(edits.some((e) => e.type === 'manifest.edit' && e.added.length + e.removed.length > 8)).toBe(true);
    expect(viewToState(view)).toEqual(await db.describe());

    // In chunks, as the player folds (and one event at a time, and all at once): the same views.
    for (const size of [1, 7, 100, events.length]) {
      let chunked: ViewModel = initialView;
      for (let at = 0; at < events.length; at += size) {
        chunked = foldEvents(events.slice(at, at + size), chunked);
        if (size > 1) expect(chunked).toEqual(views[Math.min(at + size, events.length) - 1]);
      }
      expect(chunked).toEqual(view);
    }
  }, 60_000);
});
