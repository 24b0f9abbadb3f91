// A lesson's (or a practice round's) database in Node: the real engine on MemoryStorage, every event it emits kept
// in order, driven by scenario operations as the page's runOperation drives the worker. Lessons and practice are
// checked against runs of this, so the text they show is the text the engine's events make.
// As in the worker (engine/worker/worker.ts), the files go through FaultyStorage and every event passes the crash
// lab's CrashPoints, so that an armed crash point fires where it would on the page; a workload's events are
// thinned by the worker's own EventBatcher, so that a lesson sees the events the page would.
import { LsmError, LsmTree, MemoryStorage, type Snapshot, utf8, WriteBatch } from '@lsm-lab/engine';
import { FaultyStorage } from '@lsm-lab/engine/storage';
import { CrashPoints } from '../../../engine/worker/crash-points';
import { EventBatcher } from '../../../engine/worker/events';
import { WorkloadRunner } from '../../../engine/worker/workload-runner';
import type { Lesson } from '../../../web/model/lessons';
import type { ScenarioOp } from '../../../web/model/scenario';
import type { TimelineEvent } from '../../../web/model/timeline';

export async function scenarioEngine(settings: Record<string, unknown>) {
  const storage = new MemoryStorage();
  const events: TimelineEvent[] = [];
  /** What the operations failed with, as the page would say it (a typed error: its code, file and offset). */
  const errors: LsmError[] = [];
  let options = { ...settings };
  // The worker's batcher: every event on its way out, and quiet while a workload runs.
  const batcher = new EventBatcher((message) => {
    if (message.kind === 'events') for (const e of message.events) note(e as TimelineEvent);
  });
  /** What the page's terminate() is told: the memtable's entries the engine last reported. */
  let memtableEntries = 0;
  let crashed = false;
  const note = (e: TimelineEvent) => {
    events.push(e);
    if (e.type === 'memtable.insert') memtableEntries = e.entries;
    else if (e.type === 'flush.end' || e.type === 'recovery.begin') memtableEntries = 0;
    else if (e.type === 'workload.progress') memtableEntries = e.memtable.entries;
    // An armed point fired: the page terminates the worker and draws the crash (web/store/actions/crash.ts).
    if (e.type === 'crash.point') crash(e.kind);
  };
  const crashPoints = new CrashPoints(
    (e) => batcher.add(e),
    () => batcher.flush(),
  );
  const workloads = new WorkloadRunner(batcher);
  let faulty = new FaultyStorage(storage);
  /** How far the engine's clock runs ahead of the real one ('clock' operations), as the worker keeps it. */
  let clockOffsetMs = 0;
  const open = async () => {
    faulty = new FaultyStorage(storage);
    crashPoints.attach(faulty);
    crashed = false;
    return LsmTree.open(faulty, {
      ...options,
      onEvent: (e) => crashPoints.watch(e),
      clock: () => Date.now() + clockOffsetMs,
    });
  };
  let db: LsmTree | undefined = await open();
  batcher.flush();
  let snapshots: Snapshot[] = [];
  const crash = (kind: 'process' | 'power') => {
    if (crashed) return;
    crashed = true;
    faulty.die();
    storage.crash();
    events.push({ type: 'crash', id: 0, kind, memtableEntries } as TimelineEvent);
    db = undefined;
    snapshots = [];
  };
  const at = (which: number | 'snapshot' | undefined) =>
    which === undefined
      ? {}
      : { snapshot: which === 'snapshot' ? snapshots.at(-1)! : snapshots.find((s) => s.seq === which)! };
  const step = async (op: ScenarioOp): Promise<void> => {
    switch (op.op) {
      case 'put':
        await db!.put(utf8(op.key), utf8(op.value));
        break;
      case 'delete':
        await db!.delete(utf8(op.key));
        break;
      case 'batch': {
        const batch = new WriteBatch();
        for (const w of op.writes)
          if (w.value === null) batch.delete(utf8(w.key));
          else batch.put(utf8(w.key), utf8(w.value));
        await db!.write(batch);
        break;
      }
      case 'get':
        await db!.lookup(utf8(op.key), at(op.at));
        break;
      case 'scan':
        for await (const _ of db!.scan({
          ...(op.start ? { start: utf8(op.start) } : {}),
          ...(op.end ? { end: utf8(op.end) } : {}),
          ...at(op.at),
        }));
        break;
      case 'snapshot':
        snapshots.push(await db!.snapshot());
        break;
      case 'release': {
        const found = op.seq === 'oldest' ? snapshots[0] : snapshots.find((s) => s.seq === op.seq);
        found?.release();
        snapshots = snapshots.filter((s) => s !== found);
        break;
      }
      case 'flush':
        await db!.flush();
        break;
      case 'compact':
        await db!.compactRange({});
        break;
      case 'settings':
        options = { ...options, ...op.changes };
        await db!.setOptions(op.changes);
        break;
      case 'workload':
        await workloads.run(db!, op.spec);
        break;
      case 'corrupt': {
        const bytes = storage.snapshot(op.file);
        storage.poke(op.file, op.offset, Uint8Array.of(bytes[op.offset]! ^ 0xff));
        db?.evictCache(op.file);
        break;
      }
      case 'arm':
        crashPoints.arm(op.point, op.kind, op.seed);
        break;
      case 'disarm':
        crashPoints.arm(null, 'process');
        break;
      case 'crash':
        if (!db) break;
        // A power loss first damages what was not flushed, as the worker's powerLoss(seed) does.
        if (op.kind === 'power') faulty.powerLoss(op.seed ?? 0);
        crash(op.kind);
        break;
      case 'recover':
        if (db) crash('process'); // as the page's recover() does when the engine is still running
        db = await open();
        break;
      case 'clock':
        clockOffsetMs += op.advanceMs;
        break;
      default:
        throw new Error(`not run in Node: ${(op as ScenarioOp).op}`);
    }
  };
  const run = async (ops: ScenarioOp[]): Promise<TimelineEvent[]> => {
    batcher.flush();
    const from = events.length;
    for (const op of ops) {
      try {
        await step(op);
      } catch (error) {
        // The page says a typed error in the caption and goes on; a crash point's own error is the crash.
        if (error instanceof LsmError && !crashed) errors.push(error);
        else if (!crashed) throw error;
      } finally {
        batcher.flush();
      }
    }
    return events.slice(from);
  };
  return { run, storage, errors, state: () => db!.describe(), events };
}

/**
 * Runs a lesson through on the real engine: its setup, then every step's actions; each prediction's answer and
 * explanation, with the events they were told from, and the database afterwards.
 */
export async function walkLesson(lesson: Lesson, settings: Record<string, unknown> = lesson.setup.settings) {
  const db = await scenarioEngine(settings);
  await db.run(lesson.setup.ops);
  const reveals: Array<{ outcome: string; explanation: string; events: TimelineEvent[] }> = [];
  for (const step of lesson.steps) {
    if (step.kind === 'explain') continue;
    const events = await db.run(step.actions);
    if (step.kind === 'predict')
      reveals.push({ outcome: step.outcome(events), explanation: step.explanation(events), events });
  }
  return { reveals, db };
}
