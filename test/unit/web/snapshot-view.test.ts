// The picture of snapshots and scans, folded from a real run's events: the live snapshots, the versions kept for
// them in the memtable and on the table that holds them, their marks gone once a compaction replaced that table,
// and a scan's cursors standing where the engine's merge left them.
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../engine';
import { lineOf } from '../../../web/model/pseudocode';
import { foldEvents } from '../../../web/model/view';
import { scenarioEngine } from './scenario-engine';

const hex = (s: string) => toHex(utf8(s));

describe('snapshots and scans in the view', () => {
  it('folds markers, kept versions, their drop and the scan cursors', async () => {
    const db = await scenarioEngine({ memtableBytes: 4096 });
    await db.run([{ op: 'put', key: 'a', value: 'old' }, { op: 'snapshot' }, { op: 'put', key: 'a', value: 'new' }]);
    let view = foldEvents(db.events);
    expect(view.snapshots).toEqual([1]);
    expect(view.memtable.entries[0]!.older).toEqual([{ seq: 1, op: 'put', value: hex('old'), seenBy: [1] }]);

    await db.run([{ op: 'get', key: 'a', at: 'snapshot' }]);
    view = foldEvents(db.events);
    expect(view.read).toMatchObject({ at: 1, memtableSeq: 1, value: hex('old') });

    await db.run([{ op: 'flush' }]);
    view = foldEvents(db.events);
    const file = view.tables[0]!.file;
    expect(view.kept[file]).toEqual([{ key: hex('a'), seq: 1, op: 'put', value: hex('old'), seenBy: [1] }]);

    await db.run([
      { op: 'put', key: 'b', value: 'x' },
      { op: 'scan', start: '', end: '' },
    ]);
    view = foldEvents(db.events);
    expect(view.scan!.steps.map((s) => [s.key, s.source])).toEqual([
      [hex('a'), file],
      [hex('b'), 'memtable'],
    ]);
    expect(view.scan!.cursors).toEqual({ [file]: hex('a'), memtable: hex('b') });
    // The scan's own snapshot came and went; the class's snapshot stays the only one drawn.
    expect(view.scanSnapshot).toBeNull();
    expect(view.snapshots).toEqual([1]);
    const during = foldEvents(db.events.slice(0, db.events.findIndex((e) => e.type === 'scan.begin') + 1));
    expect(during.scanSnapshot).toBe(3);
    // The code panel follows the scan: its own snapshot, the cursors opened, each merge step, the end.
    const scanLines = db.events
      .slice(db.events.findIndex((e) => e.type === 'scan.begin') - 1)
      .map((e) => lineOf(e, false, false)?.line);
    expect(scanLines).toEqual(['s-snap', 's-open', 's-step', 's-step', 's-end', 's-end']);

    await db.run([{ op: 'release', seq: 'oldest' }, { op: 'compact' }]);
    view = foldEvents(db.events);
    expect(view.snapshots).toEqual([]);
    expect(view.kept[file]).toBeUndefined();
    expect(view.compaction!.inputsKept.map((k) => k.seq)).toEqual([1]);
    expect(view.compaction!.dropped).toContainEqual({ key: hex('a'), seq: 1, op: 'put', why: 'shadowed' });
    expect(Object.keys(view.kept)).toEqual([]);
    expect(view.scan!.stale).toBe(true);
  });
});
