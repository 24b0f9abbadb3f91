// Scenarios: what this session did, as a link or a file, replayed on a fresh database of its own. Every button's
// action records itself here (record), and runOperation plays one recorded step back as that button would.
import { announce } from '../../class/hooks';
import { classFromAddress } from '../../class/room';
import { loadStudent, loadTeacher, teachingSaved } from '../../class/store';
import { t, withLanguage } from '../../i18n';
import { lessonFromAddress } from '../../layout/embed';
import { lessonBySlug } from '../../model/lessons';
import { decodeScenario, encodeScenario, type Scenario, type ScenarioOp } from '../../model/scenario';
import { type LabSettings, useLab } from '../store';
import { changeSettings, connect, reset } from './connection';
import { armCrash, corrupt, crash, recover } from './crash';
import { openLesson } from './lessons';
import { get, scan } from './reads';
import { describeError, say } from './say';
import { session } from './session';
import { releaseSnapshot, takeSnapshot } from './snapshots';
import { advanceClock, compact, flush, put, remove, runWorkload, writeBatch } from './writes';

/** Where a shared scenario runs, so that opening a link never touches the class's own database. */
const SCENARIO_DATABASE = 'lsm-lab-scenario';

/** Adds one operation to the session's scenario. */
export function record(op: ScenarioOp): void {
  session.recorded.push(op);
  announce({ k: 'op', op });
}

/** A key or value typed in hex is recorded as hex; text, the default, is not marked. */
export function formatOf(): { format?: 'hex' } {
  return useLab.getState().inputFormat === 'hex' ? { format: 'hex' } : {};
}

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

/**
 * At start: a class's join link (?class=…&relay=…) follows that class; a link with #scenario=… replays it; a link with ?lesson=<slug> opens that lesson on its own database;
 * otherwise the class's own database opens.
 */
export async function startFromLocation(): Promise<void> {
  // A join link: this tab follows the class, on a database of the class's own.
  const joining = classFromAddress(location.search);
  if (joining) {
    const { joinClass } = await loadStudent();
    await joinClass(joining.room, joining.relay);
    return;
  }
  // A teacher's tab reloaded mid-class goes back to its class.
  if (teachingSaved() && (await (await loadTeacher()).resumeClass())) return;
  const match = /#scenario=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) {
    const lesson = lessonBySlug(lessonFromAddress());
    if (lesson) await openLesson(lesson.id);
    else await connect();
    return;
  }
  history.replaceState(null, '', location.pathname + location.search);
  try {
    await playScenario(decodeScenario(match[1]!));
  } catch (error) {
    await connect();
    say(describeError(error), 'error');
  }
}
