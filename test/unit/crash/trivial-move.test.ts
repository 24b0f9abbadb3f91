// Crash safety of a trivial move (a file moved one level down by a manifest edit alone, LevelDB's IsTrivialMove):
// the process dies just before the move's edit is written, and just after it is on storage. Reopened, the file is
// in exactly one level (where it was, or one level down), no other file changed, and every write reads back.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { eventLog } from '../support/events';
import { mortalStorage } from '../support/storage';
import { expectOnlyLiveFiles, expectSortedDisjointLevels, text } from '../support/tree';

/** Static level targets (L1 holds data) and a tiny L1 target: L1 files move down into an empty L2. */
const OPTIONS: LsmOptions = {
  memtableBytes: 512,
  blockSize: 128,
  l0Trigger: 2,
  dynamicLevelBytes: false,
  levelBaseBytes: 600,
  maxLevels: 4,
};
const key = (i: number) => `key${String(i).padStart(4, '0')}`;

/** Ascending keys flushed with compaction off, so that the compaction switched on later has work to do. */
async function loaded(memory: MemoryStorage): Promise<Map<string, string>> {
  const db = await LsmTree.open(memory, { ...OPTIONS, compaction: 'off' });
  const model = new Map<string, string>();
  for (let i = 0; i < 120; i++) {
    await db.put(utf8(key(i)), utf8(`value${i}`));
    model.set(key(i), `value${i}`);
  }
  await db.flush();
  await db.close();
  return model;
}

describe('A trivial move survives a crash on either side of its manifest edit', () => {
  for (const when of ['before', 'after'] as const) {
    it(`CrashJust${when === 'before' ? 'Before' : 'After'}TheMoveIsCommitted: the file is in exactly one level`, async () => {
      const memory = new MemoryStorage();
      const model = await loaded(memory);
      const mortal = mortalStorage(memory);
      const log = eventLog();
      let moving: { file: string; from: number; to: number } | undefined;
      let crashed = false;
      const die = () => {
        crashed = true;
        mortal.die();
        throw new Error('the process died here');
      };
      const db = await LsmTree.open(mortal.storage, {
        ...OPTIONS,
        compaction: 'leveled',
        onEvent: (event) => {
          log.record(event);
          if (crashed) return;
          if (event.type === 'compaction.begin' && event.trivialMove) {
            moving = { file: event.inputs[0]!, from: event.inputLevels[0]!, to: event.outputLevel };
            // Before: nothing of the move is on storage yet.
            if (when === 'before') die();
          }
          // After: the edit that moved it is on storage (manifest.edit is told once the record is flushed).
          if (when === 'after' && moving && event.type === 'manifest.edit') die();
        },
      });
      await expect(db.compact()).rejects.toThrow();
      expect(crashed).toBe(true);
      expect(moving).toBeDefined();
      const before = log.of('compaction.begin').filter((e) => !e.trivialMove).length;
      expect(before).toBeGreaterThan(0); // the move came after real compactions filled L1

      const reopened = await LsmTree.open(memory, { ...OPTIONS, compaction: 'off' });
      const state = await reopened.describe();
      const copies = state.tables.filter((t) => t.file === moving!.file);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.level).toBe(when === 'before' ? moving!.from : moving!.to);
      expectSortedDisjointLevels(state.tables);
      await expectOnlyLiveFiles(memory, state);
      for (const [k, v] of model) expect(text(await reopened.get(utf8(k)))).toBe(v);
      // And the compaction picks up where it stopped.
      await reopened.setOptions({ compaction: 'leveled' });
      await reopened.compact();
      for (const [k, v] of model) expect(text(await reopened.get(utf8(k)))).toBe(v);
      await reopened.close();
    });
  }
});
