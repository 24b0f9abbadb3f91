// The picture draws the memtable as the skip list it is: every insert's event carries the height of the key's
// tower, which is the real node's (an update keeps the node, so it keeps the height).
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import type { EngineEvent } from '../../../engine/events';
import { SkipList } from '../../../engine/memtable/skiplist';

describe('skip-list tower heights in the events', () => {
  it('a new key gets a height of at least one lane; updating it keeps that height', async () => {
    const events: EngineEvent[] = [];
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 1 << 20, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 200; i++) await db.put(utf8(`key:${i}`), utf8('v'));
    for (let i = 0; i < 200; i++) await db.put(utf8(`key:${i}`), utf8('w'));
    const inserts = events.filter((e) => e.type === 'memtable.insert');
    expect(inserts).toHaveLength(400);
    const heights = inserts.map((e) => e.height!);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(1);
    // With a branching factor of 4, some of 200 towers rise above the bottom lane.
    expect(Math.max(...heights)).toBeGreaterThan(1);
    expect(heights.slice(200)).toEqual(heights.slice(0, 200));
  });

  it('lastHeight is the height of the node set() inserted or found', () => {
    const list = new SkipList<number>();
    const seen = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      list.set(utf8(`k${i}`), i);
      seen.set(`k${i}`, list.lastHeight);
    }
    for (let i = 0; i < 100; i++) {
      list.set(utf8(`k${i}`), -i);
      expect(list.lastHeight).toBe(seen.get(`k${i}`));
    }
  });
});
