// The Performance view's plan and plot: every row names a task that runs, bars follow a log scale, rates read well.
import { describe, expect, it } from 'vitest';
import { logBars, opsPerSec, perfTasks, perfWorkloads, showRate } from '../../../web/perf/plan';

describe('Performance view plan', () => {
  it('RowsNameTasksThatRun: with SQLite or without, and SQLite only when asked for', () => {
    for (const withSqlite of [true, false]) {
      const tasks = new Set(perfTasks(withSqlite).map((t) => t.id));
      const rows = perfWorkloads(withSqlite).flatMap((w) => w.rows);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(tasks.has(row.task), `${row.task} runs`).toBe(true);
      expect(rows.some((r) => r.subject === 'sqlite')).toBe(withSqlite);
      expect([...tasks].some((id) => id.startsWith('sqlite.'))).toBe(withSqlite);
      // Every workload shows the LSM tree, the subject each ratio is taken against.
      for (const w of perfWorkloads(withSqlite))
        expect(
          w.rows.some((r) => r.subject === 'lsm'),
          w.id,
        ).toBe(true);
    }
  });

  it('BarsAreLogScaled: the largest is full, a tenth of it sits a fixed step lower, missing ones are empty', () => {
    const [top, tenth, hundredth, missing] = logBars([1000, 100, 10, null]);
    expect(top).toBe(1);
    expect(top! - tenth!).toBeCloseTo(tenth! - hundredth!, 10);
    expect(hundredth).toBeGreaterThan(0); // the scale starts below the smallest figure
    expect(missing).toBe(0);
    expect(logBars([null, null])).toEqual([0, 0]);
    expect(logBars([5])).toEqual([1]);
  });

  it('ReadsRatesFromSamples: the median of ops per second, or null without samples', () => {
    const result = (ms: number[]) => ({ measures: { put: ms.map((m) => ({ ops: 100, bytes: 0, ms: m })) }, info: {} });
    expect(opsPerSec(result([100]), 'put')).toBe(1000);
    expect(opsPerSec(result([50, 100, 200]), 'put')).toBe(1000);
    expect(opsPerSec(result([]), 'put')).toBeNull();
    expect(opsPerSec(undefined, 'put')).toBeNull();
    expect(opsPerSec(result([100]), 'get')).toBeNull();
  });

  it('ShowsRatesShortly', () => {
    expect(showRate(850.4)).toBe('850/s');
    expect(showRate(2_345)).toBe('2.3k/s');
    expect(showRate(45_678)).toBe('46k/s');
    expect(showRate(1_234_567)).toBe('1.2M/s');
  });
});
