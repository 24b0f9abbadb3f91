// Types for bench/median.mjs (imported by the lab's Performance view through bench/src/lab.ts).
export function median(values: ReadonlyArray<number | null | undefined>): number | null;
