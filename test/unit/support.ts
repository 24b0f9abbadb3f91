// Helpers shared by the unit tests: a recorder for the engine's events, a copy of a MemoryStorage (so that
// one crashed database can be damaged in many different ways), and readers for scans and values.
import { expect } from 'vitest';
import type { EngineEvent, EngineEventType, LsmTree } from '../../engine';
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
