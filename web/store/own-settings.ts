// The settings a lesson's (or a practice question's) own database opens with: the lab's defaults under the
// setup's own, and nothing else. Not the settings in the store at the time: those are the class's, or the last
// lesson's or question's, and any setting they changed that the setup does not name (a practice question's
// l0Trigger of 8, a lesson's groupCommitMs of a minute) would carry over and change what the engine does.
import type { Scenario } from '../model/scenario';
import { DEFAULT_SETTINGS, type LabSettings } from './store';

export function ownSettings(setup: Scenario): LabSettings {
  return { ...DEFAULT_SETTINGS, ...(setup.settings as Partial<LabSettings>) };
}
