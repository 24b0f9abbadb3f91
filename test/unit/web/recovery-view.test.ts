// Recovery is drawn as the disk surviving, not as a wipe: at every step of a recovery the WAL and the manifest stay
// drawn, the WAL's records are read back in place (never removed and grown again), and at the end the picture holds
// exactly the replayed records.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import type { TimelineEvent } from '../../../web/model/timeline';
import { applyEvent, foldEvents, initialView, type ViewModel } from '../../../web/model/view';

async function crashedSession(): Promise<{ events: TimelineEvent[]; storage: MemoryStorage; walFile: string }> {
  const storage = new MemoryStorage();
  const events: TimelineEvent[] = [];
  const db = await LsmTree.open(storage, { memtableBytes: 4096, onEvent: (e) => events.push(e) });
  for (let i = 0; i < 9; i++) await db.put(utf8(`user:${i}`), utf8('a value'));
  const state = await db.describe();
  storage.crash();
  events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: state.memtable.length });
  await LsmTree.open(storage, { memtableBytes: 4096, onEvent: (e) => events.push(e) });
  return { events, storage, walFile: state.wal.file };
}

describe('recovery in the picture', () => {
  it('keeps the WAL and the manifest drawn at every step, reading the records in place', async () => {
    const { events, walFile } = await crashedSession();
    const begin = events.findLastIndex((e) => e.type === 'recovery.begin');
    const end = events.findLastIndex((e) => e.type === 'recovery.end');
    expect(begin).toBeGreaterThan(0);
    let view: ViewModel = foldEvents(events.slice(0, begin));
    const recordsBefore = view.wals.find((w) => w.file === walFile)!.records.map((r) => r.offset);
    expect(recordsBefore.length).toBeGreaterThan(0);
    for (const event of events.slice(begin, end + 1)) {
      view = applyEvent(view, event);
      const wal = view.wals.find((w) => w.file === walFile);
      expect(wal, `${walFile} is drawn after ${event.type}`).toBeDefined();
      expect(view.manifest.file, `the manifest is drawn after ${event.type}`).not.toBe('');
      // Records are read in place: the ones drawn before the crash are all still there.
      expect(wal!.records.map((r) => r.offset)).toEqual(recordsBefore);
    }
    const replayed = events.filter((e) => e.type === 'recovery.replay').length;
    expect(replayed).toBe(recordsBefore.length);
    expect(view.wals.at(-1)!.records.every((r) => r.replayed)).toBe(true);
    expect(view.recovery?.done).toBe(true);
  });

  it('after a reload (nothing drawn yet) shows the files found, then their records as they are read', async () => {
    const { events, walFile } = await crashedSession();
    const begin = events.findLastIndex((e) => e.type === 'recovery.begin');
    const opened = applyEvent(initialView, events[begin]!);
    expect(opened.wals.map((w) => w.file)).toContain(walFile);
    expect(opened.wals.find((w) => w.file === walFile)!.size).toBeGreaterThan(0);
    expect(opened.manifest.file).toMatch(/^MANIFEST-/);
    const after = foldEvents(events.slice(begin), initialView);
    // The memtable's limit is known from the moment recovery ends, before any write ("0 B of 4.0 KiB").
    expect(after.memtable.limit).toBe(4096);
    expect(after.wals.at(-1)!.records.length).toBe(events.filter((e) => e.type === 'recovery.replay').length);
  });
});

describe('the crash in the picture', () => {
  it('ends when recovery ends, also when the WAL held no record (issue 20, item 5)', async () => {
    const storage = new MemoryStorage();
    const events: TimelineEvent[] = [];
    await LsmTree.open(storage, { memtableBytes: 4096, onEvent: (e) => events.push(e) });
    storage.crash();
    events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: 0 });
    const crashedAt = events.length;
    await LsmTree.open(storage, { memtableBytes: 4096, onEvent: (e) => events.push(e) });
    const recovering = events.slice(crashedAt);
    expect(recovering.map((e) => e.type)).toContain('recovery.end');
    expect(recovering.some((e) => e.type === 'recovery.replay' || e.type === 'memtable.insert')).toBe(false);

    const crashed = foldEvents(events.slice(0, crashedAt));
    expect(crashed.crashed).toEqual({ lostEntries: 0, kind: 'process' });
    const end = recovering.findIndex((e) => e.type === 'recovery.end');
    // Until the end the memtable still says what was lost; from the end on, it is a working memtable again.
    expect(foldEvents(recovering.slice(0, end), crashed).crashed).not.toBeNull();
    const recovered = foldEvents(recovering.slice(0, end + 1), crashed);
    expect(recovered.recovery?.done).toBe(true);
    expect(recovered.crashed).toBeNull();
  });
});
