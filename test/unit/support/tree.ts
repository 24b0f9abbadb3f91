// Reading a tree back in tests, and the invariants every tree keeps: text of bytes, whole scans, Node's own memcmp
// order (an oracle independent of the engine's), and levels sorted and disjoint with no file left over.
import { expect } from 'vitest';
import {
  LsmError,
  type LsmTree,
  type MemoryStorage,
  type Snapshot,
  type SstableInfo,
  type TreeState,
} from '../../../engine';

export const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** The whole scan as [key, value] pairs. */
export async function scanAll(
  db: LsmTree,
  range: { start?: Uint8Array; end?: Uint8Array; snapshot?: Snapshot } = {},
): Promise<Array<[Uint8Array, Uint8Array]>> {
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  for await (const pair of db.scan(range)) pairs.push(pair);
  return pairs;
}

/** memcmp order from Node itself: an oracle independent of the engine's compareBytes. */
export const byteOrder = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

export const pad = (i: number) => String(i).padStart(4, '0');

/** Level 1 and deeper: each level's tables sorted by key and not overlapping (hex compares like the bytes). */
export function expectSortedDisjointLevels(tables: readonly SstableInfo[]): void {
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

/** The typed error `promise` rejects with (it fails the test when it resolves, or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<LsmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LsmError);
  return error as LsmError;
}

/** What `action` throws, or undefined when it returns (the synchronous side of `rejection`, unchecked). */
export function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
