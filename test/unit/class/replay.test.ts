// Every student's tab replays the teacher's operations on an engine of its own: the class sees one picture only if
// the same operations give the same files, byte for byte, and the same drawing. Two replays of one class's log,
// through the runner the lesson tests use, must agree exactly.
import { describe, expect, it } from 'vitest';
import { planCatchUp } from '../../../web/class/protocol';
import type { ScenarioOp } from '../../../web/model/scenario';
import { applyEvent, initialView } from '../../../web/model/view';
import { scenarioEngine } from '../web/scenario-engine';

const log: unknown[] = [
  { k: 'reset', settings: { memtableBytes: 256, blockSize: 256, dynamicLevelBytes: false } },
  ...['user:1', 'user:2', 'user:3', 'user:4', 'user:5'].map((key) => ({
    k: 'op',
    op: { op: 'put', key, value: `value of ${key}` },
  })),
  { k: 'op', op: { op: 'flush' } },
  {
    k: 'op',
    op: {
      op: 'workload',
      spec: {
        operations: 300,
        distribution: 'random',
        keySpace: 80,
        readPercent: 10,
        updatePercent: 30,
        deletePercent: 5,
        valueBytes: 16,
        seed: 11,
      },
    },
  },
  { k: 'op', op: { op: 'delete', key: 'user:2' } },
  { k: 'op', op: { op: 'settings', changes: { durability: 'relaxed' } } },
  { k: 'op', op: { op: 'put', key: 'user:9', value: 'late' } },
  { k: 'op', op: { op: 'crash', kind: 'power', seed: 5 } },
  { k: 'op', op: { op: 'recover' } },
  { k: 'op', op: { op: 'compact' } },
  { k: 'garbage' },
];

async function replay() {
  const plan = planCatchUp(log);
  const first = plan.entries[0]?.entry;
  const db = await scenarioEngine(first?.k === 'reset' ? first.settings : {});
  const ops = plan.entries.flatMap(({ entry }) => (entry.k === 'op' ? [entry.op as ScenarioOp] : []));
  await db.run(ops);
  const names = (await db.storage.list()).sort();
  const files = Object.fromEntries(names.map((name) => [name, Buffer.from(db.storage.snapshot(name)).toString('hex')]));
  const view = db.events.reduce(applyEvent, initialView);
  return { files, picture: JSON.stringify({ ...view, workload: null }), errors: db.errors };
}

describe('replaying a class', () => {
  it('gives the same files, byte for byte, and the same picture, every time', async () => {
    const a = await replay();
    const b = await replay();
    expect(a.errors).toEqual([]);
    expect(Object.keys(a.files).some((name) => name.endsWith('.sst'))).toBe(true);
    expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
    for (const name of Object.keys(a.files)) expect(b.files[name], name).toBe(a.files[name]);
    expect(b.picture).toBe(a.picture);
  });
});
