// What the buttons do. Actions live outside React (zustand style): they talk to the engine client and
// record what the engine acknowledged, which is the oracle the durability report checks after a crash.
import { ErrorCode, fromHex, LsmError, toHex, type WorkloadSpec } from '../../engine';
import { type CrashKind, type CrashPoint, LsmClient, type WorkerEvent } from '../../engine/worker/client';
import { showBytes, showCount } from '../model/display';
import { type InputFormat, parseInput } from '../model/input';
import { CRASH_POINTS } from '../model/narrate';
import { decodeScenario, encodeScenario, type Scenario, type ScenarioOp } from '../model/scenario';
import { drain, enqueue, restartPlayer } from './player';
import { type LabSettings, type Speed, useLab, writeSetting } from './store';

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
  const point = events.find((e) => e.type === 'crash.point');
  if (point?.type === 'crash.point') {
    // The worker's storage is already dead (and damaged, for a power loss): finish the job for real.
    terminate(point.kind);
    say(`Crash point reached: ${CRASH_POINTS[point.point]}. The worker is gone. Press Recover.`, 'error');
  }
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
    const { client: opened, result } = await LsmClient.open(
      useLab.getState().database,
      useLab.getState().settings,
      onEvents,
    );
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

function live(): LsmClient | undefined {
  if (client?.alive) return client;
  say('The database is not running. Press Recover to restart it.', 'error');
  return undefined;
}

/** The field's bytes in the chosen input format, or undefined after saying what is wrong with them. */
function bytesOf(text: string, field: 'Key' | 'Value'): Uint8Array | undefined {
  const parsed = parseInput(text, useLab.getState().inputFormat, field);
  if ('error' in parsed) {
    say(parsed.error, 'error');
    return undefined;
  }
  return parsed.bytes;
}

async function write(op: 'put' | 'delete', keyText: string, valueText: string): Promise<void> {
  const db = live();
  if (!db) return;
  const key = bytesOf(keyText, 'Key');
  const value = op === 'put' ? bytesOf(valueText, 'Value') : new Uint8Array(0);
  if (!key || !value) return;
  const shownKey = showBytes(toHex(key), 40);
  inFlight++;
  try {
    if (op === 'put') await db.put(key, value);
    else await db.delete(key);
    acknowledged.set(toHex(key), op === 'put' ? toHex(value) : null);
    const durability = useLab.getState().settings.durability;
    const where =
      durability === 'relaxed'
        ? 'not yet written: relaxed mode writes it with its group within 5 ms'
        : durability === 'group'
          ? 'durable in the WAL, flushed with its group'
          : 'durable in the WAL';
    say(
      op === 'put'
        ? `Put ${shownKey} = ${showBytes(toHex(value), 40)}: acknowledged (${where}).`
        : `Deleted ${shownKey}: tombstone acknowledged (${where}).`,
      'ok',
    );
  } catch (error) {
    // A crash rejects every write in flight; terminate() counted those as in doubt already.
    if (!(error instanceof LsmError && error.code === ErrorCode.Crashed)) say(describeError(error), 'error');
  } finally {
    inFlight--;
  }
}

export function put(keyText: string, valueText: string): Promise<void> {
  record({ op: 'put', key: keyText, value: valueText, ...formatOf() });
  return write('put', keyText, valueText);
}

export function remove(keyText: string): Promise<void> {
  record({ op: 'delete', key: keyText, ...formatOf() });
  return write('delete', keyText, '');
}

export async function get(keyText: string): Promise<void> {
  record({ op: 'get', key: keyText, ...formatOf() });
  const db = live();
  const key = bytesOf(keyText, 'Key');
  if (!db || !key) return;
  keyText = showBytes(toHex(key), 40);
  try {
    const result = await db.get(key);
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
  record({ op: 'flush' });
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
  const format = useLab.getState().inputFormat;
  if (format === 'text') return put(key, value);
  return put(toHex(new TextEncoder().encode(key)), toHex(new TextEncoder().encode(value)));
}

/**
 * The real thing: worker.terminate(), whatever it is doing. For a power loss, the worker first damages
 * what was not yet flushed (each write kept, dropped, torn or garbled), as the disk would have.
 */
export async function crash(): Promise<void> {
  if (!client?.alive) return;
  const kind = useLab.getState().crashKind;
  record({ op: 'crash', kind });
  if (kind === 'power') await client.powerLoss(Date.now() & 0x7fffffff).catch(() => {});
  terminate(kind);
  say(
    kind === 'power'
      ? 'Power loss: unflushed writes were damaged, the worker is gone and its memory with it. Press Recover.'
      : 'Crashed: the worker is gone, and its memory with it. The files stay on disk. Press Recover.',
    'error',
  );
}

function terminate(kind: CrashKind): void {
  if (!client?.alive) return;
  inDoubt = inFlight;
  crashKind = kind;
  client.crash();
  client = undefined;
  enqueue([{ type: 'crash', id: 0, kind, memtableEntries: engineMemtableEntries }]);
  useLab.setState((s) => ({
    connection: { status: 'crashed' },
    report: null,
    armed: null,
    workload: { ...s.workload, running: false },
  }));
}

/** What the last crash was, for the durability report. */
let crashKind: CrashKind = 'process';

export async function armCrash(point: CrashPoint | null): Promise<void> {
  const db = live();
  if (!db) return;
  await db.armCrash(point, useLab.getState().crashKind);
  if (point) record({ op: 'arm', point, kind: useLab.getState().crashKind });
  useLab.setState({ armed: point });
  say(
    point
      ? `Armed: the ${useLab.getState().crashKind === 'power' ? 'power goes out' : 'process dies'} ${CRASH_POINTS[point]}. Now write, flush or compact.`
      : 'Disarmed.',
    'info',
  );
}

export function setCrashKind(kind: CrashKind): void {
  useLab.setState({ crashKind: kind });
  const armed = useLab.getState().armed;
  if (armed) void armCrash(armed);
}

export function setInputFormat(format: InputFormat): void {
  useLab.setState({ inputFormat: format });
}

/** Inverts every bit of one byte of a file on disk: the corruption lab's cosmic ray. */
export async function corrupt(file: string, offset: number): Promise<void> {
  const db = live();
  if (!db) return;
  try {
    const { before, after, size } = await db.corrupt(file, offset);
    const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
    say(
      `Flipped byte ${offset} of ${file} (${size} bytes): ${hex(before)} → ${hex(after)}. The next read of that byte, or the next recovery, must notice.`,
      'info',
    );
  } catch (error) {
    say(describeError(error), 'error');
  }
}

/** A new worker opens the same files; recovery replays the WAL; then we check every acknowledged write. */
export async function recover(): Promise<void> {
  record({ op: 'recover' });
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
    report: {
      kind: crashKind,
      durability: useLab.getState().settings.durability,
      acknowledged: result.checked,
      found: result.found,
      missing: result.missing,
      inDoubt,
    },
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
      await root.removeEntry(useLab.getState().database, { recursive: true }).catch(() => {});
      await connect();
    }
  } catch (error) {
    say(describeError(error), 'error');
    return;
  }
  acknowledged.clear();
  inDoubt = 0;
  recorded = [];
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
  const start = startText ? bytesOf(startText, 'Key') : null;
  const end = endText ? bytesOf(endText, 'Key') : null;
  if (start === undefined || end === undefined) return;
  try {
    const result = await db.scan(start, end);
    const range = `${startText || 'the first key'}${endText ? ` up to ${endText}` : ''}`;
    say(`Scan from ${range}: ${result.count} pair${result.count === 1 ? '' : 's'} in key order.`, 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function compact(): Promise<void> {
  record({ op: 'compact' });
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
      `Workload ${result.cancelled ? 'cancelled after' : 'done:'} ${showCount(result.done)} operations in ${(result.ms / 1000).toFixed(1)} s.`,
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

// --- one writer per database: the lock, and handing it over between tabs ------------------------------------
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('lsm-lab') : undefined;
type TabMessage = { type: 'takeover'; database: string } | { type: 'released'; database: string };

channel?.addEventListener('message', (message: MessageEvent<TabMessage>) => {
  const { database, connection } = useLab.getState();
  if (message.data.database !== database) return;
  if (message.data.type === 'takeover' && connection.status === 'open' && client?.alive) void release();
  if (message.data.type === 'released' && (connection.status === 'locked' || waitingForRelease)) {
    waitingForRelease = false;
    void retryOpen();
  }
});

let waitingForRelease = false;

/** This tab closes the database cleanly (memtable in the WAL, lock released) so that another tab can open it. */
async function release(): Promise<void> {
  const db = client;
  client = undefined;
  await db?.close().catch(() => {});
  useLab.setState({ connection: { status: 'released' } });
  channel?.postMessage({ type: 'released', database: useLab.getState().database } satisfies TabMessage);
}

/** Asks the tab that holds the database to hand it over; opens it once that tab says it let go. */
export function takeOver(): void {
  waitingForRelease = true;
  channel?.postMessage({ type: 'takeover', database: useLab.getState().database } satisfies TabMessage);
  say('Asked the other tab to let go of the database…', 'info');
}

/** Works on another database (another OPFS directory), leaving the one the other tab holds alone. */
export async function openSeparateDatabase(): Promise<void> {
  const name = `lsm-lab-${Math.random().toString(16).slice(2, 6)}`;
  useLab.setState({ database: name, connection: { status: 'starting' } });
  await connect();
}

/** Every file of the database, read from OPFS, in one tar archive: for a bug report, or to keep. */
export async function downloadFiles(): Promise<void> {
  const { database } = useLab.getState();
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  try {
    if (client?.alive) {
      for (const { file } of await client.files()) files.push({ name: file, bytes: await client.readFile(file) });
    } else {
      const root = await navigator.storage.getDirectory();
      const directory = await root.getDirectoryHandle(database);
      for await (const [name, handle] of directory.entries()) {
        if (handle.kind !== 'file') continue;
        const blob = await (handle as FileSystemFileHandle).getFile();
        files.push({ name, bytes: new Uint8Array(await blob.arrayBuffer()) });
      }
    }
  } catch (error) {
    say(`Could not read the files: ${describeError(error)}`, 'error');
    return;
  }
  const archive = tar(files.map((f) => ({ name: `${database}/${f.name}`, bytes: f.bytes })));
  const url = URL.createObjectURL(new Blob([archive as BlobPart], { type: 'application/x-tar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${database}.tar`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Downloaded ${files.length} files as ${database}.tar.`, 'ok');
}

/** A minimal POSIX ustar writer: a 512-byte header per file, then its bytes padded to 512. */
function tar(files: Array<{ name: string; bytes: Uint8Array }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const field = (header: Uint8Array, at: number, length: number, text: string) =>
    header.set(encoder.encode(text).subarray(0, length), at);
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  for (const file of files) {
    const header = new Uint8Array(512);
    field(header, 0, 100, file.name);
    field(header, 100, 8, octal(0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(file.bytes.length, 12));
    field(header, 136, 12, octal(Math.floor(Date.now() / 1000), 12));
    field(header, 148, 8, '        ');
    header[156] = 0x30; // '0': a regular file
    field(header, 257, 6, 'ustar');
    field(header, 263, 2, '00');
    const sum = header.reduce((total, byte) => total + byte, 0);
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, file.bytes, new Uint8Array((512 - (file.bytes.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

// --- the hex inspector -----------------------------------------------------------------------------------------

/**
 * One file's bytes as they are on storage now: through the worker, or, when the worker is gone (after a crash,
 * before Recover), straight from OPFS, so that a torn tail can be inspected before recovery cuts it off.
 */
export async function readDatabaseFile(name: string): Promise<Uint8Array> {
  if (client?.alive) return client.readFile(name);
  const root = await navigator.storage.getDirectory();
  const directory = await root.getDirectoryHandle(useLab.getState().database);
  const file = await (await directory.getFileHandle(name)).getFile();
  return new Uint8Array(await file.arrayBuffer());
}

/** Marks a key (lowercase hex) whose bytes the hex inspector highlights; null clears it. */
export function setHighlightKey(key: string | null): void {
  useLab.setState({ highlightKey: key });
}

// --- scenarios: what this session did, as a link or a file; replayed on a fresh database -------------------
/** The operations since the last reset, in order: the scenario a link shares. */
let recorded: ScenarioOp[] = [];
const SCENARIO_DATABASE = 'lsm-lab-scenario';

function record(op: ScenarioOp): void {
  recorded.push(op);
}

function formatOf(): { format?: 'hex' } {
  return useLab.getState().inputFormat === 'hex' ? { format: 'hex' } : {};
}

export function currentScenario(): Scenario {
  return { version: 1, settings: { ...useLab.getState().settings }, ops: [...recorded] };
}

export function scenarioLink(): string {
  return `${location.origin}${location.pathname}#scenario=${encodeScenario(currentScenario())}`;
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
  const previous = client;
  client = undefined;
  await previous?.close().catch(() => previous.crash());
  useLab.setState({ database: SCENARIO_DATABASE, connection: { status: 'starting' } });
  await connect();
  if (!client) return;
  await reset();
  await changeSettings(scenario.settings as Partial<LabSettings>);
  for (const step of scenario.ops) await runOperation(step);
  say(`Replayed a shared scenario: ${scenario.ops.length} operations on the database "${SCENARIO_DATABASE}".`, 'ok');
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
      await get(step.key);
      break;
    case 'flush':
      await flush();
      break;
    case 'compact':
      await compact();
      break;
    case 'arm':
      useLab.setState({ crashKind: step.kind });
      await armCrash(step.point);
      break;
    case 'crash':
      useLab.setState({ crashKind: step.kind });
      await crash();
      break;
    case 'recover':
      await recover();
      break;
  }
  useLab.setState({ inputFormat: 'text' });
}

/** At start: a link with #scenario=… replays it; otherwise the class's own database opens. */
export async function startFromLocation(): Promise<void> {
  const match = /#scenario=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) {
    await connect();
    return;
  }
  history.replaceState(null, '', location.pathname);
  try {
    await playScenario(decodeScenario(match[1]!));
  } catch (error) {
    await connect();
    say(describeError(error), 'error');
  }
}
