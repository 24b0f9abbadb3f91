// Opening the engine and living with it: the worker's events flow into the timeline from here, and the session's
// settings (engine options, animation speed, input format) are changed here. A reset starts the session over.
import { LsmError } from '@lsm-lab/engine';
import { type CrashKind, LsmClient, type WorkerEvent } from '@lsm-lab/engine/worker';
import { announce } from '../../class/hooks';
import { isClassDatabase } from '../../class/room';
import { t } from '../../i18n';
import type { InputFormat } from '../../model/input';
import { CRASH_POINTS } from '../../model/narrate';
import { drain, enqueue, restartPlayer } from '../player';
import { type Connection, type LabSettings, type Speed, useLab } from '../store';
import { record } from './recording';
import { describeError, say } from './say';
import { session } from './session';
import { refreshStats } from './stats';
import { storageDenied } from './storage-access';

/** Every batch of events the worker sends: to the player's timeline, and what the actions must know at once. */
function onEvents(events: WorkerEvent[]): void {
  let changed = false;
  for (const event of events) {
    if (event.type === 'memtable.insert') session.engineMemtableEntries = event.entries;
    else if (event.type === 'flush.end' || event.type === 'recovery.begin') session.engineMemtableEntries = 0;
    else if (event.type === 'workload.progress') {
      session.engineMemtableEntries = event.memtable.entries;
      useLab.setState({ workload: { running: true, done: event.done, total: event.total } });
    }
    if (event.type === 'manifest.edit' || event.type === 'workload.progress' || event.type === 'recovery.end')
      changed = true;
  }
  enqueue(events);
  if (changed) refreshStats();
  const point = events.find((e) => e.type === 'crash.point');
  if (point?.type === 'crash.point') {
    // The worker's storage is already dead (and damaged, for a power loss): finish the job for real.
    terminate(point.kind);
    say(() => t('ui:msg.crashPoint', { where: CRASH_POINTS[point.point] }), 'error');
  }
}

/** Ends the worker and tells the picture what the crash lost; writes still in flight become "in doubt". */
export function terminate(kind: CrashKind): void {
  const client = session.client;
  if (!client?.alive) return;
  session.inDoubt = session.oracle.inFlight;
  session.lastCrashKind = kind;
  if (session.persistent) client.crash();
  else session.memoryFiles = client.crashKeepingFiles();
  session.client = undefined;
  enqueue([{ type: 'crash', id: 0, kind, memtableEntries: session.engineMemtableEntries }]);
  useLab.setState((s) => ({
    connection: { status: 'crashed' },
    report: null,
    armed: null,
    workload: { ...s.workload, running: false },
  }));
}

/**
 * Starts a worker on the store's database. Another tab may hold it (locked), or its files may not open (failed,
 * with the file and byte the engine named); the store's connection says which. `repair`: the worker repairs the
 * database first (LsmTree.repair), and the store keeps its report.
 */
export async function connect(repair = false): Promise<void> {
  // One engine per page: a worker of this page still running holds the database's lock, and a new one would
  // be told the database is "open in another tab". Close it first (its lock goes with it).
  const previous = session.client;
  if (previous?.alive) {
    session.client = undefined;
    await previous.close().catch(() => previous.crash());
  }
  // After a crash of an engine whose files lived in memory, the next one starts from the files it left.
  const memoryFiles = session.memoryFiles;
  session.memoryFiles = undefined;
  try {
    const { client: opened, result } = await (repair ? LsmClient.repair : LsmClient.open)(
      useLab.getState().database,
      { ...useLab.getState().settings, clockOffsetMs: session.clockOffsetMs },
      onEvents,
      memoryFiles ? await memoryFiles : null,
    );
    if (result.status === 'locked') {
      useLab.setState({ connection: { status: 'locked' } });
      return;
    }
    session.client = opened;
    session.persistent = result.persistent;
    if (result.denied !== undefined) storageDenied(() => connect());
    else if (result.persistent) useLab.setState({ storageDenied: null });
    useLab.setState({ connection: { status: 'open', persistent: result.persistent } });
    if (result.repair) useLab.setState({ repairReport: result.repair });
  } catch (error) {
    // Files that lived in the failed worker's memory stay for the next try (a repair, say).
    if (memoryFiles) session.memoryFiles = memoryFiles;
    const failed: Extract<Connection, { status: 'failed' }> = {
      status: 'failed',
      message: () => describeError(error),
    };
    if (error instanceof LsmError && error.file) failed.file = error.file;
    if (error instanceof LsmError && error.offset !== undefined) failed.offset = error.offset;
    useLab.setState({ connection: failed });
  }
}

export async function retryOpen(): Promise<void> {
  useLab.setState({ connection: { status: 'starting' } });
  await connect();
}

/** Deletes every file and starts an empty database; the session forgets what was acknowledged and recorded. */
export async function reset(): Promise<void> {
  try {
    if (!session.client?.alive) await connect();
    useLab.setState((s) => ({ epoch: s.epoch + 1 }));
    if (session.client?.alive) await session.client.reset();
    else {
      // The database would not open (corrupt files): no worker holds them, so delete them from here.
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(useLab.getState().database, { recursive: true }).catch(() => {});
      await connect();
    }
  } catch (error) {
    say(describeError(error), 'error');
    return;
  }
  session.oracle.clear();
  session.inDoubt = 0;
  session.recorded = [];
  session.startSettings = { ...useLab.getState().settings };
  useLab.setState({ report: null, stats: null, statsHistory: [], repairReport: null });
  announce({ k: 'reset', settings: { ...useLab.getState().settings } });
  say(() => t('ui:msg.reset'), 'ok');
}

/**
 * Changes engine settings now (new SSTables use them) and remembers them for the next visit, unless a lesson is
 * open: its settings are its own, and the class's saved ones stay as they are.
 */
export async function changeSettings(changes: Partial<LabSettings>): Promise<void> {
  // A shared scenario starts from the settings recording began with, and replays each change where it came.
  session.startSettings ??= { ...useLab.getState().settings };
  record({ op: 'settings', changes });
  const settings = { ...useLab.getState().settings, ...changes };
  useLab.setState({ settings });
  // A class's database takes the teacher's settings: they are the class's, not this browser's to keep.
  if (!useLab.getState().lesson && !isClassDatabase(useLab.getState().database))
    useLab.setState({ savedSettings: settings });
  await session.client?.setOptions(changes).catch((error: unknown) => say(describeError(error), 'error'));
}

export function setSpeed(speed: Speed): void {
  useLab.setState({ speed });
  if (speed === 'instant') drain();
  restartPlayer();
}

export function setInputFormat(format: InputFormat): void {
  useLab.setState({ inputFormat: format });
}
