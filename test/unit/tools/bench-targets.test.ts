// The benchmark's figures that hold (bench/targets.mjs, bench/plan.mjs): the two sides of every ratio target run
// interleaved, pair by pair; a target is judged on the median of its pairs' ratios, shown with their min-max; with
// --repeat a target keeps the worst of its runs' medians.
import { describe, expect, it } from 'vitest';
import { mergeOutcomes } from '../../../bench/lib/outcomes.mjs';
import { schedule, sizes, tasks } from '../../../bench/plan.mjs';
import { inRounds, inTurns } from '../../../bench/src/common';
import type { Sample } from '../../../bench/src/protocol';
import type { Outcome, TargetResult, TargetRow } from '../../../bench/targets.mjs';
import {
  combineRuns,
  evaluateRunTarget,
  evaluateTarget,
  judge,
  pairRatios,
  RUN_TARGETS,
  spread,
  TARGETS,
  worstOf,
} from '../../../bench/targets.mjs';

/** A sample of `ops` operations in `ms` milliseconds (1 byte per op). */
const at = (opsPerSec: number, ops = 1000): Sample => ({ ops, bytes: ops, ms: (ops / opsPerSec) * 1000 });
const ok = (measures: Record<string, Sample[]>): Outcome => ({ status: 'ok', result: { measures } });

const row: TargetRow = {
  id: 'get.sqlite',
  text: 'get >= 1.5x SQLite',
  num: { task: 'lsm.read', measure: 'get' },
  den: { task: 'sqlite.read', measure: 'get' },
  basis: 'ops',
  threshold: 1.5,
  direction: 'higher',
};

describe('pairs', () => {
  it('divides sample i of the numerator by sample i of the denominator', () => {
    const ratios = pairRatios([at(200), at(100), at(300)], [at(100), at(50), at(100)], 'ops');
    expect(ratios.map((r) => Number(r.toFixed(6)))).toEqual([2, 2, 3]);
  });

  it('uses only as many pairs as both sides have', () => {
    expect(pairRatios([at(200), at(100), at(300)], [at(100)], 'ops')).toHaveLength(1);
  });

  it('compares MB/s on the mb basis', () => {
    const num: Sample = { ops: 1, bytes: 2e6, ms: 1000 };
    const den: Sample = { ops: 1000, bytes: 1e6, ms: 1000 };
    expect(pairRatios([num], [den], 'mb')).toEqual([2]);
  });

  it('gives the median and the min-max over the pairs, ignoring pairs without a figure', () => {
    expect(spread([3, 1, 2, 10, 0.5])).toEqual({ median: 2, min: 0.5, max: 10, n: 5 });
    expect(spread([4, 1, Number.NaN, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([])).toEqual({ median: null, min: null, max: null, n: 0 });
  });
});

describe('a target row', () => {
  it('passes on the median of its pairs, even when a slow pair falls below the threshold', () => {
    // Pair 2 ran while the machine was busy: the LSM side slowed down, its ratio is 0.5x. The median holds.
    const results = {
      'lsm.read': ok({ get: [at(200), at(210), at(50), at(190), at(220)] }),
      'sqlite.read': ok({ get: [at(100), at(100), at(100), at(100), at(100)] }),
    };
    const t = evaluateTarget(row, results);
    expect(t.status).toBe('PASS');
    expect(t.value).toBeCloseTo(2.0, 6);
    expect(t.min).toBeCloseTo(0.5, 6);
    expect(t.max).toBeCloseTo(2.2, 6);
    expect(t.pairs).toHaveLength(5);
    expect(t.shown).toBe('2.00x (5 pairs, 0.50x-2.20x)');
  });

  it('misses when the median is below the threshold, whatever the best pair', () => {
    const results = {
      'lsm.read': ok({ get: [at(120), at(300), at(130)] }),
      'sqlite.read': ok({ get: [at(100), at(100), at(100)] }),
    };
    const t = evaluateTarget(row, results);
    expect(t.status).toBe('MISS');
    expect(t.value).toBeCloseTo(1.3, 6);
  });

  it('pairs the sides by index, not by their medians: a drift that hits both sides leaves the ratio', () => {
    // Both subjects slow down together over the run; every pair's ratio is 1.6x.
    const results = {
      'lsm.read': ok({ get: [at(160), at(80), at(320)] }),
      'sqlite.read': ok({ get: [at(100), at(50), at(200)] }),
    };
    const t = evaluateTarget(row, results);
    expect(t.min).toBeCloseTo(1.6, 6);
    expect(t.max).toBeCloseTo(1.6, 6);
  });

  it('counts the best of several numerators, and names it', () => {
    const batched: TargetRow = {
      id: 'batched',
      text: 'batched >= 0.5x raw',
      num: [
        { task: 'lsm.group', measure: 'put', name: 'group commit' },
        { task: 'lsm.batch', measure: 'put', name: 'WriteBatch of 64' },
      ],
      den: { task: 'raw.batched', measure: 'batched' },
      basis: 'ops',
      threshold: 0.5,
      direction: 'higher',
    };
    const results = {
      'lsm.group': ok({ put: [at(30), at(40)] }),
      'lsm.batch': ok({ put: [at(60), at(70)] }),
      'raw.batched': ok({ put: [], batched: [at(100), at(100)] }),
    };
    const t = evaluateTarget(batched, results);
    expect(t.status).toBe('PASS');
    expect(t.value).toBeCloseTo(0.65, 6);
    expect(t.text).toBe('batched >= 0.5x raw [WriteBatch of 64]');
  });

  it('is N/A with the reason when a side did not run, failed or was skipped by the plan', () => {
    const failed = { 'lsm.read': ok({ get: [at(1)] }), 'sqlite.read': { status: 'error', error: 'wasm\nstack' } };
    expect(evaluateTarget(row, failed)).toMatchObject({ status: 'N/A', note: 'sqlite.read: error (wasm)' });
    expect(evaluateTarget(row, {})).toMatchObject({ status: 'N/A', note: 'lsm.read: not run' });
    expect(evaluateTarget(row, {}, { 'lsm.read': 'smoke run: small sizes only' }).note).toBe(
      'smoke run: small sizes only',
    );
  });

  it('judges lower-is-better rows the other way', () => {
    expect(judge(0, 0, 'lower')).toBe('PASS');
    expect(judge(2, 0, 'lower')).toBe('MISS');
    expect(judge(0.9, 0.9, 'higher')).toBe('PASS');
    expect(judge(null, 0.9, 'higher')).toBe('N/A');
  });
});

describe('--repeat', () => {
  const run = (value: number | null): TargetResult =>
    value === null
      ? { id: 'get.sqlite', text: 'get', status: 'N/A', value: null, threshold: 1.5, direction: 'higher', note: 'x' }
      : {
          id: 'get.sqlite',
          text: 'get',
          status: judge(value, 1.5, 'higher'),
          value,
          min: value / 2,
          max: value * 2,
          threshold: 1.5,
          direction: 'higher',
          shown: `${value.toFixed(2)}x (5 pairs, ${(value / 2).toFixed(2)}x-${(value * 2).toFixed(2)}x)`,
        };

  it('keeps the worst of the runs medians and judges the target on it', () => {
    const [t] = combineRuns([[run(1.8)], [run(1.4)], [run(1.7)]]);
    expect(t?.value).toBe(1.4);
    expect(t?.status).toBe('MISS');
    expect(t?.shown).toBe('1.40x (5 pairs, 0.70x-2.80x); worst of 3 runs (1.80x, 1.40x, 1.70x)');
    expect(t?.runs).toEqual([
      { value: 1.8, min: 0.9, max: 3.6, status: 'PASS' },
      { value: 1.4, min: 0.7, max: 2.8, status: 'MISS' },
      { value: 1.7, min: 0.85, max: 3.4, status: 'PASS' },
    ]);
  });

  it('passes only when every run passes', () => {
    expect(combineRuns([[run(1.8)], [run(1.6)], [run(1.5)]])[0]?.status).toBe('PASS');
  });

  it('takes the highest value where lower is better, and ignores runs without a value', () => {
    expect(worstOf([0, 3, 1], 'lower')).toBe(3);
    expect(worstOf([null, 1.2, 0.8], 'higher')).toBe(0.8);
    expect(worstOf([null, undefined], 'higher')).toBeNull();
    expect(combineRuns([[run(null)], [run(1.6)], [run(1.7)]])[0]?.value).toBe(1.6);
  });

  it('matches rows by id, so a run without an INFO row another run has shifts nothing', () => {
    const infoRow = (value: number): TargetResult => ({
      text: '(info) growth',
      status: 'INFO',
      value,
      shown: `${value}x`,
    });
    const combined = combineRuns([[infoRow(4), run(1.8)], [run(1.6)], [infoRow(5), run(1.7)]]);
    expect(combined.map((t) => t.text)).toEqual(['(info) growth', 'get']);
    expect(combined[0]?.runs).toEqual([4, 5]);
    expect(combined[1]?.value).toBe(1.6);
  });

  it('leaves a single run as it is', () => {
    const only = [run(1.8)];
    expect(combineRuns([only])).toBe(only);
  });
});

describe('the plan runs every ratio target pair by pair', () => {
  for (const mode of ['smoke', 'full'] as const) {
    const entries = tasks(mode);
    const steps = schedule(entries);
    const want = sizes(mode).pairs;

    it(`${mode}: each side of every target has at least ${want} pairs, interleaved A B A B`, () => {
      expect(want).toBeGreaterThanOrEqual(mode === 'full' ? 5 : 2);
      for (const target of TARGETS) {
        const sides = [target.num, target.den].flat().filter((s) => s !== undefined);
        for (const side of sides) {
          const entry = entries.find((e) => e.id === side.task);
          if (!entry) continue; // the 1M rows of a smoke run are skipped by the plan
          expect(entry.task.reps, `${target.id}: ${side.task}`).toBeGreaterThanOrEqual(want);
        }
        const den = target.den;
        if (!den || !entries.some((e) => e.id === den.task)) continue;
        for (const num of [target.num].flat()) {
          if (num.task === den.task) continue; // both sides inside one worker, repetition by repetition
          // Two tasks: their steps alternate, pair i of one beside pair i of the other.
          const order = steps.filter((s) => s.of === num.task || s.of === den.task);
          expect(order.length, target.id).toBeGreaterThanOrEqual(2 * want);
          expect(order[0]?.of).not.toBe(order[1]?.of);
          order.forEach((s, i) => {
            expect(s.pair, `${target.id} step ${i}`).toBe(i >> 1);
            expect(s.of, `${target.id} step ${i}`).toBe(order[i % 2]?.of);
          });
        }
      }
    });
  }

  it('runs each pair of a group in its own worker, one repetition each, the first pair in full', () => {
    const entries = tasks('full');
    const reads = schedule(entries).filter((s) => s.of === 'lsm.read');
    expect(reads).toHaveLength(5);
    expect(reads.every((s) => s.entry.task.reps === 1)).toBe(true);
    expect(reads.map((s) => s.entry.task.breakdown)).toEqual([true, false, false, false, false]);
    expect(reads.map((s) => s.entry.id)).toEqual([1, 2, 3, 4, 5].map((i) => `lsm.read (rep ${i})`));
  });

  it('times the 1M-key gets and SQLite in turns inside one worker: one step, its five pairs inside it', () => {
    const steps = schedule(tasks('full'));
    const paired = steps.filter((s) => s.of === 'pair.get.1M');
    expect(paired).toHaveLength(1);
    expect(paired[0]!.entry.task).toMatchObject({ kind: 'pair.get', n: 1_000_000, reps: 5, rounds: 20 });
    expect(steps.some((s) => s.of === 'sqlite.growth.1M')).toBe(false);
    // The growth row and the memory target still load the 1M keys alone, once, in a worker of their own.
    expect(steps.filter((s) => s.of === 'lsm.growth.1M')).toHaveLength(1);
    // A smoke run has no 1M keys: the pair is left out with the other 1M rows.
    expect(schedule(tasks('smoke')).some((s) => s.of === 'pair.get.1M')).toBe(false);
  });

  it('times recovery and compaction in several turns per pair against their anchors, inside one worker', () => {
    for (const [mode, turns] of [
      ['full', 4],
      ['smoke', 2],
    ] as const) {
      const steps = schedule(tasks(mode));
      for (const id of ['lsm.recovery', 'lsm.compaction']) {
        const mine = steps.filter((s) => s.of === id);
        expect(mine, `${mode} ${id}`).toHaveLength(1);
        expect(mine[0]!.entry.task, `${mode} ${id}`).toMatchObject({ reps: sizes(mode).pairs, turns });
      }
    }
  });

  it('takes turns A B, B A, B A, A B: each side first in half the turns; rounds cover every item once', async () => {
    const order: string[] = [];
    await inTurns(
      8,
      (turn) => order.push(`A${turn}`),
      async (turn) => {
        await Promise.resolve();
        order.push(`B${turn}`);
      },
    );
    expect(order.join(' ')).toBe('A0 B0 B1 A1 B2 A2 A3 B3 A4 B4 B5 A5 B6 A6 A7 B7');
    const spans: string[] = [];
    await inRounds(
      10,
      4,
      (from, to) => spans.push(`a ${from}-${to}`),
      (from, to) => spans.push(`b ${from}-${to}`),
    );
    expect(spans).toEqual(['a 0-4', 'b 0-4', 'b 4-8', 'a 4-8', 'b 8-10', 'a 8-10']);
  });

  it('times the 1 KiB WriteBatch target in rounds of whole batches against its anchor, inside one worker', () => {
    const target = TARGETS.find((t) => t.id === 'batched.1k')!;
    expect([target.num, target.den].flat().map((side) => side?.task)).toEqual(['pair.batch.1k', 'pair.batch.1k']);
    for (const mode of ['full', 'smoke'] as const) {
      const steps = schedule(tasks(mode)).filter((s) => s.of === 'pair.batch.1k');
      expect(steps, mode).toHaveLength(1);
      expect(steps[0]!.entry.task, mode).toMatchObject({
        kind: 'pair.batch',
        n: sizes(mode).batched.large,
        valueBytes: 1024,
        batch: 64,
        reps: sizes(mode).pairs,
      });
    }
  });

  it('warms every side of the write-batch pairs up in its own worker, and nothing else', () => {
    for (const mode of ['smoke', 'full'] as const) {
      const steps = schedule(tasks(mode));
      const batched = steps.filter((s) => s.entry.group?.startsWith('batched.'));
      expect(new Set(batched.map((s) => s.of))).toEqual(
        new Set(
          ['raw', 'lsm.group', 'lsm.batch', 'lsm.batchAll', 'sqlite.bulk', 'idb.bulk'].flatMap((t) => [
            `${t === 'raw' ? 'raw.batched' : t}.116`,
            `${t === 'raw' ? 'raw.batched' : t}.1k`,
          ]),
        ),
      );
      expect(batched.every((s) => s.entry.task.warmUp === true && s.entry.task.reps === 1)).toBe(true);
      expect(steps.filter((s) => !s.entry.group?.startsWith('batched.')).some((s) => s.entry.task.warmUp)).toBe(false);
    }
  });
});

describe('mergeOutcomes', () => {
  it("appends the pairs' samples and their warm-up passes in pair order, and keeps the first pair's info", () => {
    const pair = (ms: number, cold: number) => ({
      status: 'ok',
      seconds: 1,
      result: {
        measures: { put: [{ ops: 1, bytes: 1, ms }] },
        info: { batch: 64, coldPass: { put: [{ ops: 1, bytes: 1, ms: cold }] } },
      },
    });
    const merged = mergeOutcomes(mergeOutcomes(pair(10, 30), pair(11, 31)), pair(12, 32));
    expect(merged.result.measures.put.map((s: Sample) => s.ms)).toEqual([10, 11, 12]);
    expect(merged.result.info.coldPass.put.map((s: Sample) => s.ms)).toEqual([30, 31, 32]);
    expect(merged.result.info.batch).toBe(64);
    expect(merged.seconds).toBe(3);
  });
});

describe('run targets (UI, initial JS, memory): rows of a table too', () => {
  const byId = (id: string) => RUN_TARGETS.find((r) => r.id === id)!;

  it('has a row for the long tasks of both UI workloads, the bulk load and the classroom default', () => {
    const uiRows = RUN_TARGETS.filter((r) => 'ui' in r.from);
    const planned = sizes('full').ui.map((u) => u.name);
    expect(uiRows.map((r) => r.id)).toEqual(['ui.longTasks', 'ui.fps', 'ui.classroom.longTasks']);
    for (const r of uiRows) expect(planned).toContain((r.from as { ui: string }).ui);
  });

  it('judges a UI workload by its name, and says why when it did not run', () => {
    const ui = [
      { name: 'bulk load', longTasks: 0, fps: 58.2 },
      { name: 'classroom default', longTasks: 3, fps: 50 },
    ];
    expect(evaluateRunTarget(byId('ui.longTasks'), { ui })).toMatchObject({ status: 'PASS', value: 0 });
    expect(evaluateRunTarget(byId('ui.classroom.longTasks'), { ui })).toMatchObject({
      status: 'MISS',
      value: 3,
      shown: '3 long tasks',
    });
    const smoke = evaluateRunTarget(byId('ui.classroom.longTasks'), { ui: ui.slice(0, 1) });
    expect(smoke.status).toBe('N/A');
    expect(smoke.note).toContain('classroom default');
    const failed = evaluateRunTarget(byId('ui.longTasks'), { ui: [{ name: 'bulk load', error: 'timed out' }] });
    expect(failed).toMatchObject({ status: 'N/A', note: 'timed out' });
  });

  it('scales the size to KB and the memory to MiB before judging', () => {
    expect(evaluateRunTarget(byId('size.js'), { size: { gzipBytes: 149_900 } })).toMatchObject({
      status: 'PASS',
      shown: '149.9 KB',
    });
    expect(evaluateRunTarget(byId('size.js'), { size: { gzipBytes: 150_100 } }).status).toBe('MISS');
    const results = { 'lsm.growth.1M': { status: 'ok', memory: { peakLiveBytes: 70 * 2 ** 20 } } };
    expect(evaluateRunTarget(byId('memory.1M'), { results })).toMatchObject({ status: 'MISS', value: 70 });
    expect(evaluateRunTarget(byId('memory.1M'), {}).note).toBe('lsm.growth.1M not run');
  });

  it('keeps the worst run of several, as the ratio rows do', () => {
    const runs = [0, 2, 1].map((longTasks) => [
      evaluateRunTarget(byId('ui.classroom.longTasks'), { ui: [{ name: 'classroom default', longTasks }] }),
    ]);
    expect(combineRuns(runs)[0]).toMatchObject({ status: 'MISS', value: 2 });
  });
});
