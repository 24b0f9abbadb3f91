// The picture after a repair: the repair.* events draw nothing themselves; the recovery that follows them draws
// the repaired tree, and folding every event (the session before, the crash, the repair, the open) gives exactly
// the engine's own state, as after any recovery.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import type { TimelineEvent } from '../../../web/model/timeline';
import { foldEvents, viewToState } from '../../../web/model/view';

describe('the view model after a repair', () => {
  it('equals the repaired engine state, merged tables and a lost manifest included', async () => {
    const storage = new MemoryStorage();
    const events: TimelineEvent[] = [];
    const options = { memtableBytes: 200, blockSize: 64, l0Trigger: 2, onEvent: (e: TimelineEvent) => events.push(e) };
    const db = await LsmTree.open(storage, options);
    for (let i = 0; i < 60; i++) await db.put(utf8(`k${String(i % 23).padStart(3, '0')}`), utf8(`value ${i}`));
    const lost = (await db.describe()).memtable.length;
    storage.crash();
    events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: lost });
    for (const name of await storage.list()) if (name.startsWith('MANIFEST-')) await storage.remove(name);

    const repaired = await LsmTree.repair(storage, options);
    expect(events.some((e) => e.type === 'repair.manifest')).toBe(true);
    expect(viewToState(foldEvents(events))).toEqual(await repaired.describe());
    await repaired.put(utf8('after'), utf8('repair'));
    await repaired.flush();
    expect(viewToState(foldEvents(events))).toEqual(await repaired.describe());
  });
});
