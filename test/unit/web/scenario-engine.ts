// A lesson's (or a practice round's) database in Node: the real engine on MemoryStorage, every event it emits kept
// in order, driven by scenario operations as the page's runOperation drives the worker. Lessons and practice are
// checked against runs of this, so the text they show is the text the engine's events make.
import { LsmTree, MemoryStorage, type Snapshot, utf8, WriteBatch } from '@lsm-lab/engine';
import { FaultyStorage } from '@lsm-lab/engine/storage';
import type { ScenarioOp } from '../../../web/model/scenario';
import type { TimelineEvent } from '../../../web/model/timeline';

export async function scenarioEngine(settings: Record<string, unknown>) {
  const storage = new MemoryStorage();
  const events: TimelineEvent[] = [];
  let options = { ...settings };
  // As in the worker: the tree runs on the crash lab's wrapper, which knows what is unflushed (a power loss), and
  // each recovery (a new worker) wraps the same files again.
  let faulty = new FaultyStorage(storage);
  const open = () => {
    faulty = new FaultyStorage(storage);
    return LsmTree.open(faulty, { ...options, onEvent: (e) => events.push(e as TimelineEvent) });
  };
  let db: LsmTree | undefined = await open();
  let snapshots: Snapshot[] = [];
  const at = (which: number | 'snapshot' | undefined) =>
    which === undefined
      ? {}
      : { snapshot: which === 'snapshot' ? snapshots.at(-1)! : snapshots.find((s) => s.seq === which)! };
  const run = async (ops: ScenarioOp[]): Promise<TimelineEvent[]> => {
    const from = events.length;
    for (const op of ops) {
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
        case 'corrupt': {
          const bytes = storage.snapshot(op.file);
          storage.poke(op.file, op.offset, Uint8Array.of(bytes[op.offset]! ^ 0xff));
          break;
        }
        case 'crash': {
          const lost = (await db!.describe()).memtable.length;
          // A power loss first damages what was not flushed, seeded as the page's is (the seed a scenario recorded).
          if (op.kind === 'power') faulty.powerLoss(op.seed ?? 0);
          storage.crash();
          events.push({ type: 'crash', id: 0, kind: op.kind, memtableEntries: lost } as TimelineEvent);
          db = undefined;
          snapshots = [];
          break;
        }
        case 'recover':
          db = await open();
          break;
        default:
          throw new Error(`not run in Node: ${op.op}`);
      }
    }
    return events.slice(from);
  };
  return { run, storage, state: () => db!.describe(), events };
}
