// Outcomes of a task's repetitions run in separate workers (a group's pairs, bench/plan.mjs), merged into one.

/** Samples by measure, b's appended to a's. */
function appendMeasures(a, b) {
  const measures = { ...a };
  for (const [name, samples] of Object.entries(b)) measures[name] = [...(measures[name] ?? []), ...samples];
  return measures;
}

/**
 * Two repetitions of one task, run in separate workers, as one outcome: their samples, and their warm-up passes'
 * (`info.coldPass`, Task.warmUp), in pair order; the rest of the info is the first's.
 */
export function mergeOutcomes(a, b) {
  const measures = appendMeasures(a.result.measures, b.result.measures);
  const cold = [a, b].map((outcome) => outcome.result.info?.coldPass).filter(Boolean);
  const info = cold.length ? { ...a.result.info, coldPass: cold.reduce(appendMeasures) } : a.result.info;
  return { ...a, seconds: a.seconds + b.seconds, result: { ...a.result, measures, info } };
}
