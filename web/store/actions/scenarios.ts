// Scenarios: what this session did (recording.ts), as a link or a file, replayed on a fresh database of its own,
// each step as its button would (operations.ts).
import { t, withLanguage } from '../../i18n';
import { decodeScenario, encodeScenario, type Scenario } from '../../model/scenario';
import { type LabSettings, useLab } from '../store';
import { changeSettings, connect, reset } from './connection';
import { runOperation } from './operations';
import { describeError, say } from './say';
import { session } from './session';

/** Where a shared scenario runs, so that opening a link never touches the class's own database. */
const SCENARIO_DATABASE = 'lsm-lab-scenario';

export function currentScenario(): Scenario {
  const settings = session.startSettings ?? useLab.getState().settings;
  return { version: 1, settings: { ...settings }, ops: [...session.recorded] };
}

export function scenarioLink(): string {
  return withLanguage(`${location.origin}${location.pathname}#scenario=${encodeScenario(currentScenario())}`);
}

/**
 * The `<iframe>` a teacher pastes into slides or a course page: the embed view (picture, caption, compact
 * toolbar) at 800×450, replaying this scenario when `withScenario` is set.
 */
export function embedSnippet(withScenario: boolean): string {
  const scenario = withScenario ? `#scenario=${encodeScenario(currentScenario())}` : '';
  const src = withLanguage(`${location.origin}${location.pathname}?embed${scenario}`);
  return `<iframe src="${src}" width="800" height="450" style="border:0" title="LSM Lab: a live LSM tree" loading="lazy"></iframe>`;
}

export function exportScenario(): void {
  const blob = new Blob([JSON.stringify(currentScenario(), null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'lsm-lab-scenario.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function importScenario(text: string): Promise<void> {
  let scenario: Scenario;
  try {
    scenario = decodeScenario(text);
  } catch (error) {
    say(describeError(error), 'error');
    return;
  }
  await playScenario(scenario);
}

/**
 * Replays a scenario on a fresh database of its own ("lsm-lab-scenario"), so that opening a shared link never
 * touches the class's own database: the settings first, then every operation, each waiting for the last.
 */
export async function playScenario(scenario: Scenario): Promise<void> {
  const previous = session.client;
  session.client = undefined;
  session.memoryFiles = undefined; // the files a crashed in-memory engine left belong to the database left behind
  await previous?.close().catch(() => previous.crash());
  useLab.setState({ database: SCENARIO_DATABASE, connection: { status: 'starting' } });
  await connect();
  if (!session.client) return;
  await reset();
  await changeSettings(scenario.settings as Partial<LabSettings>);
  const replay = { step: 0, notes: [] as string[] };
  session.replay = replay;
  try {
    for (const step of scenario.ops) {
      replay.step++;
      await runOperation(step);
    }
  } finally {
    session.replay = undefined;
  }
  const notes = replay.notes.join('; ');
  say(
    () =>
      t('ui:msg.replayed', { count: scenario.ops.length, database: SCENARIO_DATABASE }) +
      (notes ? t('ui:msg.replayNotes', { notes }) : ''),
    'ok',
  );
}
