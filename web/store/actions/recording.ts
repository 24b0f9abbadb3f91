// Recording what the session does: every button's action adds its operation here, for a shared scenario
// (scenarios.ts) and, in a class, for the students' tabs (class/hooks.ts). A leaf: actions of every kind import it.
import { announce } from '../../class/hooks';
import type { ScenarioOp } from '../../model/scenario';
import { useLab } from '../store';
import { session } from './session';

/** Adds one operation to the session's scenario. */
export function record(op: ScenarioOp): void {
  session.recorded.push(op);
  announce({ k: 'op', op });
}

/** A key or value typed in hex is recorded as hex; text, the default, is not marked. */
export function formatOf(): { format?: 'hex' } {
  return useLab.getState().inputFormat === 'hex' ? { format: 'hex' } : {};
}
