// Drawing a random state: keys, values and sizes from one seeded generator (mulberry32), so that the same seed
// draws the same round everywhere (the page, the unit tests, a teacher's projector) and another seed another one.
import { mulberry32 } from '@lsm-lab/engine';

export type Random = () => number;

export const seeded = (seed: number): Random => mulberry32(seed >>> 0);

/** An integer in [low, high]. */
export const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

export const oneOf = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The items in a random order (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` distinct items, in a random order. */
export const some = <T>(random: Random, items: readonly T[], count: number): T[] =>
  shuffled(random, items).slice(0, count);

const PREFIXES = ['user', 'item', 'city', 'book', 'song', 'card'];
const VALUES = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Leslie', 'Radia'];

/**
 * `count` distinct keys sharing one random prefix, with two-digit numbers so that their text order is their byte
 * order (user:07 < user:12), sorted.
 */
export function drawKeys(random: Random, count: number): string[] {
  const prefix = oneOf(random, PREFIXES);
  const numbers = some(
    random,
    Array.from({ length: 99 }, (_, i) => i + 1),
    count,
  ).sort((a, b) => a - b);
  return numbers.map((n) => `${prefix}:${String(n).padStart(2, '0')}`);
}

export const drawValue = (random: Random) => oneOf(random, VALUES);
