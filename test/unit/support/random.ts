// The engine's one seeded generator (engine/random.ts), with a helper for whole numbers below n.
import { mulberry32 } from '../../../engine';

/** The engine's mulberry32: the same seed gives the same workload on every machine. */
export function seededRandom(seed: number) {
  const next = mulberry32(seed);
  return { next, below: (n: number) => Math.floor(next() * n) };
}
