// Helpers shared by the unit tests: a recorder for the engine's events, a copy of a MemoryStorage (so that
// one crashed database can be damaged in many different ways), readers for scans and values, a seeded random
// source for workloads, a process that dies mid-operation, and the tree's invariants on levels and files.
import { expect } from 'vitest';
import type { EngineEvent, EngineEventType, LsmTree, SstableMeta, Storage, TreeState } from '../../engine';
import { MemoryStorage } from '../../engine';

export const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** Every event the tree emits, in order, with a typed filter. Pass `record` as `onEvent`. */
export function eventLog() {
  const events: EngineEvent[] = [];
  return {
    events,
    record: (event: EngineEvent) => {
      events.push(event);
    },
    of<T extends EngineEventType>(type: T): Array<Extract<EngineEvent, { type: T }>> {
      return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
    },
    clear: () => {
      events.length = 0;
    },
  };
}

/** A new MemoryStorage holding byte-for-byte copies of every file in `source` (no handle left open). */
export async function copyStorage(source: MemoryStorage): Promise<MemoryStorage> {
  const copy = new MemoryStorage();
  for (const name of await source.list()) {
    const file = await copy.open(name, { create: true });
    const bytes = source.snapshot(name);
    expect(file.write(bytes, { at: 0 })).toBe(bytes.length);
    file.close();
  }
  return copy;
}

/** The whole scan as [key, value] pairs. */
export async function scanAll(
  db: LsmTree,
  range: { start?: Uint8Array; end?: Uint8Array } = {},
): Promise<Array<[Uint8Array, Uint8Array]>> {
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  for await (const pair of db.scan(range)) pairs.push(pair);
  return pairs;
}

/** memcmp order from Node itself: an oracle independent of the engine's compareBytes. */
export const byteOrder = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

/** The byte at `at`, inverted: poke it back to damage the file there. */
export function flippedByte(bytes: Uint8Array, at: number): Uint8Array {
  return Uint8Array.of(bytes[at]! ^ 0xff);
}

export const pad = (i: number) => String(i).padStart(4, '0');

/** Creates (or overwrites from byte 0) a file: what a crashed process may have left behind. */
export async function writeFile(storage: MemoryStorage, name: string, bytes: Uint8Array): Promise<void> {
  const file = await storage.open(name, { create: true });
  expect(file.write(bytes, { at: 0 })).toBe(bytes.length);
  file.close();
}

/** A small seeded PRNG (mulberry32): the same seed gives the same workload on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n: number) => Math.floor(next() * n) };
}

/**
 * A process that dies mid-operation: `die()` kills every open handle (MemoryStorage.crash) and from then on
 * every directory operation through `storage` fails too, so nothing the dying tree still tries (a cleanup in a
 * catch block, the next output file) reaches the files. Reopen on `memory`, as a new process would.
 */
export function mortalStorage(memory: MemoryStorage) {
  let dead = false;
  const refuse = () => Promise.reject(new Error('the process has crashed'));
  const storage: Storage = {
    open: (name, options) => (dead ? refuse() : memory.open(name, options)),
    remove: (name) => (dead ? refuse() : memory.remove(name)),
    list: () => (dead ? refuse() : memory.list()),
  };
  return {
    storage,
    die: () => {
      dead = true;
      memory.crash();
    },
  };
}

/** Level 1 and deeper: each level's tables sorted by key and not overlapping (hex compares like the bytes). */
export function expectSortedDisjointLevels(tables: readonly SstableMeta[]): void {
  const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
  for (let level = 1; level <= deepest; level++) {
    const here = tables.filter((t) => t.level === level);
    for (const t of here) expect(t.smallest <= t.largest, `${t.file} range`).toBe(true);
    for (let i = 1; i < here.length; i++) {
      const before = here[i - 1]!;
      const after = here[i]!;
      expect(
        before.largest < after.smallest,
        `L${level}: ${before.file} [${before.smallest}..${before.largest}] then ${after.file} [${after.smallest}..${after.largest}]`,
      ).toBe(true);
    }
  }
}

/** On storage: exactly the live SSTables, one WAL and one manifest. No leftover of any flush or compaction. */
export async function expectOnlyLiveFiles(storage: MemoryStorage, state: TreeState): Promise<void> {
  const expected = [...state.tables.map((t) => t.file), state.wal.file, state.manifest.file].sort();
  expect(await storage.list()).toEqual(expected);
}
