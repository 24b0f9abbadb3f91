// What the buttons do. Actions live outside React (zustand style): they talk to the engine client and
// record what the engine acknowledged, which is the oracle the durability report checks after a crash.
import { ErrorCode, fromHex, LsmError, toHex, utf8, type WorkloadSpec } from '../../engine';
import { LsmClient, type WorkerEvent } from '../../engine/worker/client';
import { showBytes } from '../model/display';
import { drain, enqueue, restartPlayer } from './player';
import { type LabSettings, type Speed, useLab, writeSetting } from './store';

export const DATABASE_NAME = 'lsm-lab';

let client: LsmClient | undefined;
/** Every write the engine acknowledged since this page loaded: key hex -> value hex (null: deleted). */
const acknowledged = new Map<string, string | null>();
/** Writes sent but not answered when the crash came: they may or may not survive, and both are correct. */
let inFlight = 0;
let inDoubt = 0;
/** The engine's memtable size as its events report it (the view may still be catching up). */
let engineMemtableEntries = 0;

function onEvents(events: WorkerEvent[]): void {
  let changed = false;
  for (const event of events) {
    if (event.type === 'memtable.insert') engineMemtableEntries = event.entries;
    else if (event.type === 'flush.end' || event.type === 'recovery.begin') engineMemtableEntries = 0;
    else if (event.type === 'workload.progress') {
      engineMemtableEntries = event.memtable.entries;
      useLab.setState({ workload: { running: true, done: event.done, total: event.total } });
    }
    if (event.type === 'manifest.edit' || event.type === 'workload.progress' || event.type === 'recovery.end')
      changed = true;
  }
  enqueue(events);
  if (changed) refreshStats();
}

// --- amplification figures: asked of the engine at most once a second -----------------------------------
let statsTimer: ReturnType<typeof setTimeout> | undefined;
let statsDue = false;
export function refreshStats(): void {
  statsDue = true;
  if (statsTimer !== undefined) return;
  statsTimer = setTimeout(async () => {
    statsTimer = undefined;
    if (!statsDue || !client?.alive) return;
    statsDue = false;
    try {
      const stats = await client.stats();
      useLab.setState((s) => ({
        stats,
        statsHistory: [
          ...s.statsHistory,
          {
            writes: stats.userBytes,
            writeAmplification: stats.writeAmplification,
            spaceAmplification: stats.spaceAmplification,
            tablesPerGet: stats.tablesPerGet,
          },
        ].slice(-120),
      }));
    } catch {
      // The worker crashed or closed meanwhile: the next open refreshes.
    }
    if (statsDue) refreshStats();
  }, 1000);
}

function say(text: string, tone: 'info' | 'ok' | 'error' = 'info'): void {
  useLab.setState({ message: { text, tone } });
}

function describeError(error: unknown): string {
  if (error instanceof LsmError) {
    const where = error.file ? ` (${error.file}${error.offset === undefined ? '' : ` at byte ${error.offset}`})` : '';
    return `${error.message}${where}`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function connect(): Promise<void> {
  try {
    const { client: opened, result } = await LsmClient.open(DATABASE_NAME, useLab.getState().settings, onEvents);
    if (result.status === 'locked') {
      useLab.setState({ connection: { status: 'locked' } });
      return;
    }
    client = opened;
    useLab.setState({ connection: { status: 'open', persistent: result.persistent } });
  } catch (error) {
    const failed: { status: 'failed'; message: string; file?: string; offset?: number } = {
      status: 'failed',
      message: describeError(error),
    };
    if (error instanceof LsmError && error.file) failed.file = error.file;
    if (error instanceof LsmError && error.offset !== undefined) failed.offset = error.offset;
    useLab.setState({ connection: failed });
  }
}

export const start = connect;

function live(): LsmClient | undefined {
  if (client?.alive) return client;
  say('The database is not running. Press Recover to restart it.', 'error');
  return undefined;
}

async function write(op: 'put' | 'delete', keyText: string, valueText: string): Promise<void> {
  const db = live();
  if (!db) return;
  const key = utf8(keyText);
  const value = utf8(valueText);
  inFlight++;
  try {
    if (op === 'put') await db.put(key, value);
    else await db.delete(key);
    acknowledged.set(toHex(key), op === 'put' ? toHex(value) : null);
    say(
      op === 'put'
        ? `Put ${keyText} = ${valueText}: acknowledged (durable in the WAL).`
        : `Deleted ${keyText}: tombstone acknowledged (durable in the WAL).`,
      'ok',
    );
  } catch (error) {
    if (error instanceof LsmError && error.code === ErrorCode.Crashed) inDoubt++;
    else say(describeError(error), 'error');
  } finally {
    inFlight--;
  }
}

export function put(keyText: string, valueText: string): Promise<void> {
  return write('put', keyText, valueText);
}

export function remove(keyText: string): Promise<void> {
  return write('delete', keyText, '');
}

export async function get(keyText: string): Promise<void> {
  const db = live();
  if (!db) return;
  try {
    const result = await db.get(utf8(keyText));
    const checked = `${result.tablesChecked} SSTable${result.tablesChecked === 1 ? '' : 's'} checked, ${result.bloomSkips} skipped by bloom filters, ${result.blocksRead} block${result.blocksRead === 1 ? '' : 's'} read`;
    if (result.value) {
      const where = result.source === 'memtable' ? 'the memtable' : result.source;
      say(`${keyText} = ${showBytes(toHex(result.value), 80)}: found in ${where} (${checked}).`, 'ok');
      refreshStats();
    } else {
      say(`${keyText}: not found (${checked}).`, 'info');
    }
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function flush(): Promise<void> {
  const db = live();
  if (!db) return;
  try {
    await db.flush();
    say('Flushed the memtable to an SSTable.', 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

const NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Frances',
  'Leslie',
  'Radia',
  'Tony',
];

export function insertRandom(): Promise<void> {
  const key = `user:${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const value = NAMES[Math.floor(Math.random() * NAMES.length)]!;
  return put(key, value);
}

/** The real thing: worker.terminate(), whatever it is doing. */
export function crash(): void {
  if (!client?.alive) return;
  inDoubt = inFlight;
  client.crash();
  client = undefined;
  enqueue([{ type: 'crash', id: 0, memtableEntries: engineMemtableEntries }]);
  useLab.setState((s) => ({
    connection: { status: 'crashed' },
    report: null,
    workload: { ...s.workload, running: false },
  }));
  say('Crashed: the worker is gone, and its memory with it. The files stay on disk. Press Recover.', 'error');
}

/** A new worker opens the same files; recovery replays the WAL; then we check every acknowledged write. */
export async function recover(): Promise<void> {
  useLab.setState({ connection: { status: 'recovering' }, report: null });
  await connect();
  const db = client;
  if (!db) return;
  const expected: Array<[Uint8Array, Uint8Array | null]> = [...acknowledged].map(([key, value]) => [
    fromHex(key),
    value === null ? null : fromHex(value),
  ]);
  const result = await db.verify(expected);
  useLab.setState({
    report: { acknowledged: result.checked, found: result.found, missing: result.missing, inDoubt },
  });
  say(
    `Recovered. Acknowledged writes before the crash: ${result.checked}; found after recovery: ${result.found}.`,
    result.missing.length === 0 ? 'ok' : 'error',
  );
}

export async function reset(): Promise<void> {
  try {
    if (!client?.alive) await connect();
    if (client?.alive) await client.reset();
    else {
      // The database would not open (corrupt files): no worker holds them, so delete them from here.
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(DATABASE_NAME, { recursive: true }).catch(() => {});
      await connect();
    }
  } catch (error) {
    say(describeError(error), 'error');
    return;
  }
  acknowledged.clear();
  inDoubt = 0;
  useLab.setState({ report: null, stats: null, statsHistory: [] });
  say('Reset: every file deleted, a new empty database created.', 'ok');
}

/** Changes engine settings now (new SSTables use them) and remembers them for the next visit. */
export async function changeSettings(changes: Partial<LabSettings>): Promise<void> {
  const settings = { ...useLab.getState().settings, ...changes };
  useLab.setState({ settings });
  writeSetting('settings', JSON.stringify(settings));
  await client?.setOptions(changes).catch((error: unknown) => say(describeError(error), 'error'));
}

export async function scan(startText: string, endText: string): Promise<void> {
  const db = live();
  if (!db) return;
  try {
    const result = await db.scan(startText ? utf8(startText) : null, endText ? utf8(endText) : null);
    const range = `${startText || 'the first key'}${endText ? ` up to ${endText}` : ''}`;
    say(`Scan from ${range}: ${result.count} pair${result.count === 1 ? '' : 's'} in key order.`, 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function compact(): Promise<void> {
  const db = live();
  if (!db) return;
  try {
    const ran = await db.compact();
    const strategy = useLab.getState().settings.compaction;
    say(
      ran > 0
        ? `Ran ${ran} compaction${ran === 1 ? '' : 's'}.`
        : strategy === 'off'
          ? 'Compaction is off: choose leveled or tiered in the settings.'
          : 'No level needs compaction right now.',
      'ok',
    );
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function runWorkload(spec: WorkloadSpec): Promise<void> {
  const db = live();
  if (!db) return;
  useLab.setState({ workload: { running: true, done: 0, total: spec.operations } });
  try {
    const result = await db.runWorkload(spec);
    say(
      `Workload ${result.cancelled ? 'cancelled after' : 'done:'} ${result.done.toLocaleString('en')} operations in ${(result.ms / 1000).toFixed(1)} s.`,
      'ok',
    );
  } catch (error) {
    if (!(error instanceof LsmError && error.code === ErrorCode.Crashed)) say(describeError(error), 'error');
  } finally {
    useLab.setState((s) => ({ workload: { ...s.workload, running: false } }));
    refreshStats();
  }
}

export async function cancelWorkload(): Promise<void> {
  await client?.cancelWorkload().catch(() => {});
}

export function setSpeed(speed: Speed): void {
  useLab.setState({ speed });
  writeSetting('speed', speed);
  if (speed === 'instant') drain();
  restartPlayer();
}

export async function retryOpen(): Promise<void> {
  useLab.setState({ connection: { status: 'starting' } });
  await connect();
}
