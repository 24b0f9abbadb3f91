// One recorded operation run on the live engine, as its button would: shared scenarios, lessons, practice
// questions and a class's log all play their steps through here.
import type { ScenarioOp } from '../../model/scenario';
import { type LabSettings, useLab } from '../store';
import { changeSettings } from './connection';
import { armCrash, corrupt, crash, recover } from './crash';
import { get, scan } from './reads';
import { releaseSnapshot, takeSnapshot } from './snapshots';
import { advanceClock, compact, flush, put, remove, runWorkload, writeBatch } from './writes';

/** Runs one recorded operation on the live engine, as the buttons would: scenarios and lessons both use it. */
export async function runOperation(step: ScenarioOp): Promise<void> {
  const format = 'format' in step && step.format === 'hex' ? 'hex' : 'text';
  useLab.setState({ inputFormat: format });
  switch (step.op) {
    case 'put':
      await put(step.key, step.value);
      break;
    case 'delete':
      await remove(step.key);
      break;
    case 'get':
      await get(step.key, step.at);
      break;
    case 'scan':
      await scan(step.start, step.end, step.at);
      break;
    case 'batch':
      await writeBatch(step.writes);
      break;
    case 'snapshot':
      await takeSnapshot();
      break;
    case 'release':
      await releaseSnapshot(step.seq);
      break;
    case 'corrupt':
      await corrupt(step.file, step.offset);
      break;
    case 'flush':
      await flush();
      break;
    case 'compact':
      await compact();
      break;
    case 'arm':
      useLab.setState({ crashKind: step.kind });
      await armCrash(step.point, step.seed);
      break;
    case 'disarm':
      await armCrash(null);
      break;
    case 'crash':
      useLab.setState({ crashKind: step.kind });
      await crash(step.seed);
      break;
    case 'recover':
      await recover();
      break;
    case 'settings':
      await changeSettings(step.changes as Partial<LabSettings>);
      break;
    case 'workload':
      await runWorkload(step.spec);
      break;
    case 'clock':
      await advanceClock(step.advanceMs);
      break;
  }
  useLab.setState({ inputFormat: 'text' });
}
