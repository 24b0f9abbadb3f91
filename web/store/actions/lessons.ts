// A lesson stands alone: it opens a database of its own ("lsm-lab-lesson"), resets it and replays the lesson's
// setup, as a shared scenario does, so it says the same whenever and wherever it is opened. The class database is
// closed meanwhile, untouched, and what the session knows about it (its settings, its recorded scenario, the writes
// it acknowledged) is put aside; leaving the lesson reopens it as it was.
import { WriteOracle } from '@lsm-lab/engine/worker';
import { announce, quietly } from '../../class/hooks';
import { t } from '../../i18n';
import { EMBED, EMBED_DATABASE } from '../../layout/embed';
import type { Scenario } from '../../model/scenario';
import { ownSettings } from '../own-settings';
import { drain, shown } from '../player';
import { type LabSettings, type LabState, useLab } from '../store';
import { connect, reset } from './connection';
import { runOperation } from './operations';
import { say } from './say';
import { type Session, session } from './session';

/** Where lessons run: never the class's database, nor an embed's (nor, in a class, another tab's of the class). */
const OWN_LESSON_DATABASE = EMBED ? `${EMBED_DATABASE}-lesson` : 'lsm-lab-lesson';
let lessonDatabase = OWN_LESSON_DATABASE;

/** A class's tabs run lessons on databases of the class's own (null: this browser's again), so that a teacher
 * may follow as a student in another tab. */
export function setLessonDatabase(name: string | null): void {
  lessonDatabase = name ?? OWN_LESSON_DATABASE;
}

/** What the class database's session held when a lesson opened: given back when the lesson is left. */
interface ClassDatabase {
  database: string;
  settings: LabSettings;
  session: Pick<Session, 'oracle' | 'inDoubt' | 'recorded' | 'startSettings'>;
  store: Pick<LabState, 'report' | 'stats' | 'statsHistory' | 'crashKind'>;
  /** Where storage is denied the class engine runs in memory: its files, handed over as it closed. */
  memoryFiles: Promise<Array<[string, Uint8Array]>> | undefined;
}
let saved: ClassDatabase | undefined;

/** Where the timeline ends now: the position just after the newest event received. */
const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/** Closes the engine this page runs, whichever database it is on (an engine crashed already has none). */
async function closeEngine(): Promise<void> {
  const previous = session.client;
  session.client = undefined;
  session.memoryFiles = undefined;
  if (previous?.alive) await previous.close().catch(() => previous.crash());
}

/** Keeps the address saying which lesson is open, so that a reload or a copied link opens the same. */
function showInAddress(id: string | null): void {
  const params = new URLSearchParams(location.search);
  if (id === null) params.delete('lesson');
  else params.set('lesson', id);
  const search = params.toString().replace(/=(&|$)/g, '$1');
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/**
 * Opens a lesson on its own database: closes the class's (or the previous lesson's) engine, opens
 * LESSON_DATABASE with the lesson's settings, resets it, replays the setup and shows it. Resolves when the
 * lesson's first step can be taken.
 */
export function openLesson(id: string): Promise<void> {
  return inTurn(async () => {
    // The course is a chunk of its own, loaded the first time a lesson opens.
    const lesson = (await import('../../model/lessons')).lessonBySlug(id);
    if (!lesson) return;
    // Every student's tab sets the lesson up itself, from the lesson's own definition: only its opening is told.
    announce({ k: 'lesson', id: lesson.id });
    // Named when the line is shown, so that it follows a change of language (the title is a getter calling `t`).
    await openOwnDatabase(lesson.id, lesson.setup, () => t('ui:lesson.named', { title: lesson.title }), true);
  });
}

/** Openings and leavings run one at a time: a chip pressed during a setup waits for it, never interleaves. */
let queue: Promise<void> = Promise.resolve();
export function inTurn(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task);
  return queue;
}

/**
 * Opens `setup` on LESSON_DATABASE as the open lesson `id` (a practice question too, whose `id` names no lesson):
 * `inAddress`, the address says which; otherwise it names no lesson. `name` is asked when the line is shown, in the
 * language chosen then. Call it in turn (inTurn).
 */
export function openOwnDatabase(id: string, setup: Scenario, name: () => string, inAddress: boolean): Promise<void> {
  // Its reset and its setup are not a class's news: a student's tab runs the same setup itself.
  return quietly(() => setUp(id, setup, name, inAddress));
}

async function setUp(id: string, setup: Scenario, name: () => string, inAddress: boolean): Promise<void> {
  const lesson = { id, setup };
  const opened = (useLab.getState().lesson?.opened ?? 0) + 1;
  useLab.setState({ lesson: { id: lesson.id, phase: 'setting-up', opened } });
  // A practice question names no lesson: a lesson open before it must not stay in the address (a reload would
  // open that lesson, not the practice).
  showInAddress(inAddress ? lesson.id : null);
  if (!saved) {
    const s = useLab.getState();
    saved = {
      database: s.database,
      settings: s.settings,
      session: {
        oracle: session.oracle,
        inDoubt: session.inDoubt,
        recorded: session.recorded,
        startSettings: session.startSettings,
      },
      store: { report: s.report, stats: s.stats, statsHistory: s.statsHistory, crashKind: s.crashKind },
      // Files in memory would die with the worker: it hands them over instead, as a crash in memory does.
      memoryFiles: !session.persistent && session.client?.alive ? session.client.crashKeepingFiles() : undefined,
    };
    session.oracle = new WriteOracle();
  }
  await closeEngine();
  // The lesson's settings are the engine's for this lesson only: the class's saved ones stay as they are, and
  // nothing the class or the last lesson changed carries over (own-settings.ts).
  useLab.setState((s) => ({
    epoch: s.epoch + 1,
    database: lessonDatabase,
    settings: ownSettings(lesson.setup),
    connection: { status: 'starting' },
    armed: null,
    crashKind: 'process',
  }));
  await connect();
  if (!session.client) {
    useLab.setState({ lesson: { id: lesson.id, phase: 'failed', opened } });
    return;
  }
  await reset();
  for (const op of lesson.setup.ops) await runOperation(op);
  // The setup is where the lesson starts, not what it teaches: the picture jumps to it, whatever the speed.
  drain();
  await shown(timelineEnd());
  useLab.setState({ lesson: { id: lesson.id, phase: 'ready', opened } });
  say(
    () => t('ui:msg.lesson.opened', { name: name(), database: lessonDatabase, count: lesson.setup.ops.length }),
    'ok',
  );
}

/** Leaves the lesson: its engine closes and the class database opens again, as it was left. */
export function leaveLesson(): Promise<void> {
  return inTurn(leave);
}

async function leave(): Promise<void> {
  if (!useLab.getState().lesson) return;
  announce({ k: 'leave' });
  useLab.setState({ lesson: null });
  showInAddress(null);
  await closeEngine();
  const back = saved;
  saved = undefined;
  if (back) {
    Object.assign(session, back.session);
    useLab.setState({ database: back.database, settings: back.settings, ...back.store });
  }
  useLab.setState((s) => ({ connection: { status: 'starting' }, armed: null, epoch: s.epoch + 1 }));
  if (back?.memoryFiles) session.memoryFiles = back.memoryFiles;
  await connect();
  if (session.client) say(() => t('ui:msg.lesson.left'), 'ok');
}

/**
 * Opens another database in place of the one open now (a class's, or this browser's own again), leaving any lesson
 * first: what the session knew about the old one (its acknowledged writes, its recording) is not the new one's.
 */
export function switchDatabase(name: string): Promise<void> {
  return inTurn(async () => {
    await leave();
    await closeEngine();
    session.oracle = new WriteOracle();
    session.inDoubt = 0;
    session.recorded = [];
    session.startSettings = undefined;
    useLab.setState((s) => ({
      database: name,
      connection: { status: 'starting' },
      armed: null,
      report: null,
      stats: null,
      statsHistory: [],
      epoch: s.epoch + 1,
    }));
    await connect();
  });
}
