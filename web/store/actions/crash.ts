// Crash and recover, the lab's point: kill the worker (now, or at an armed crash point), flip a byte on disk, then
// open the files again and check every acknowledged write against what recovery brought back.
import { fromHex } from '@lsm-lab/engine';
import type { CrashKind, CrashPoint, LsmClient } from '@lsm-lab/engine/worker';
import { t } from '../../i18n';
import { CRASH_POINTS } from '../../model/narrate';
import { type DurabilityReport, useLab } from '../store';
import { connect, terminate } from './connection';
import { record } from './recording';
import { describeError, say } from './say';
import { live, session } from './session';

/** A power loss's seed, from the clock: every crash damages differently, and a scenario records which. */
const clockSeed = (): number => Date.now() & 0x7fffffff;

/**
 * The real thing: worker.terminate(), whatever it is doing. For a power loss, the worker first damages
 * what was not yet flushed (each write kept, dropped, torn or garbled, chosen by `seed`), as the disk would have.
 */
export async function crash(seed: number = clockSeed()): Promise<void> {
  if (!session.client?.alive) return;
  const kind = useLab.getState().crashKind;
  record(kind === 'power' ? { op: 'crash', kind, seed } : { op: 'crash', kind });
  await crashNow(kind, seed);
  say(kind === 'power' ? () => t('ui:msg.crash.power') : () => t('ui:msg.crash.process'), 'error');
}

async function crashNow(kind: CrashKind, seed: number): Promise<void> {
  if (kind === 'power') await session.client?.powerLoss(seed).catch(() => {});
  terminate(kind);
}

/** `seed`: what a power loss at the point damages (a replay passes the one its scenario recorded). */
export async function armCrash(point: CrashPoint | null, seed: number = clockSeed()): Promise<void> {
  const db = live();
  if (!db) return;
  const kind = useLab.getState().crashKind;
  await db.armCrash(point, kind, seed);
  // A disarm is recorded too: a replay that kept the point armed would crash where the recording did not.
  record(!point ? { op: 'disarm' } : kind === 'power' ? { op: 'arm', point, kind, seed } : { op: 'arm', point, kind });
  useLab.setState({ armed: point });
  say(
    point
      ? () =>
          t(kind === 'power' ? 'ui:msg.crash.armedPower' : 'ui:msg.crash.armedProcess', {
            where: CRASH_POINTS[point],
          })
      : () => t('ui:msg.crash.disarmed'),
    'info',
  );
}

/** A process crash or a power loss; an armed crash point is armed again with the new kind. */
export function setCrashKind(kind: CrashKind): void {
  useLab.setState({ crashKind: kind });
  const armed = useLab.getState().armed;
  if (armed) void armCrash(armed);
}

/** Inverts every bit of one byte of a file on disk: the corruption lab's cosmic ray. */
export async function corrupt(file: string, offset: number): Promise<void> {
  record({ op: 'corrupt', file, offset });
  const db = live();
  if (!db) return;
  try {
    const { before, after, size } = await db.corrupt(file, offset);
    const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
    say(() => t('ui:msg.crash.flipped', { offset, file, size, before: hex(before), after: hex(after) }), 'info');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

/** A new worker opens the same files; recovery replays the WAL; then we check every acknowledged write. */
export async function recover(): Promise<void> {
  record({ op: 'recover' });
  if (session.client?.alive) {
    // Only a replay gets here (Recover is offered after a crash): the crash its recording had before this Recover
    // did not happen in the replay, which starts from an empty database while the recording's may have held data
    // (a memtable that filled elsewhere, a Flush with nothing to write). The engine still runs and holds the
    // database's lock: a second one opened beside it would find the database "open in another tab". So the
    // replay crashes it here, as the recording did, and says so.
    const { armed, crashKind } = useLab.getState();
    session.replay?.notes.push(
      armed
        ? t('ui:msg.replayNote.notReached', { point: CRASH_POINTS[armed], step: session.replay.step })
        : t('ui:msg.replayNote.running', { step: session.replay.step }),
    );
    await crashNow(crashKind, clockSeed());
  }
  // Said once the picture has shown the crash (layout/shown.ts); the report takes its place when the replay is drawn.
  const recovering = { text: () => t('ui:msg.crash.recovering'), tone: 'info' as const };
  useLab.setState({ connection: { status: 'recovering' }, report: null, message: recovering });
  // Recovering no more: the open failed (its screen says why) or the check did (said as an error).
  const stopped = () => {
    if (useLab.getState().message === recovering) useLab.setState({ message: null });
  };
  await connect();
  const db = session.client;
  if (!db) {
    stopped();
    return;
  }
  let report: DurabilityReport;
  try {
    report = await checkDurability(db);
  } catch (error) {
    stopped();
    say(describeError(error), 'error');
    return;
  }

  // One update: the status line shows the report's verdict in place of this message (Caption.tsx).
  useLab.setState({
    report,
    message: {
      text: () =>
        t('ui:msg.crash.recovered', {
          acknowledged: report.acknowledged,
          found: report.found,
          damaged:
            report.unreadable.length > 0 ? t('ui:msg.crash.unreadable', { count: report.unreadable.length }) : '',
        }),
      tone: report.missing.length === 0 && report.unreadable.length === 0 ? 'ok' : 'error',
      about: report,
    },
  });
}

/**
 * Every write acknowledged before the crash, read back from the engine just opened (or repaired): the durability
 * report, in the oracle's terms.
 */
export async function checkDurability(db: LsmClient): Promise<DurabilityReport> {
  const expected: Array<[Uint8Array, Uint8Array | null]> = [...session.oracle.lastAcknowledged()].map(
    ([key, value]) => [fromHex(key), value === null ? null : fromHex(value)],
  );
  const result = await db.verify(expected);
  const report: DurabilityReport = {
    kind: session.lastCrashKind,
    durability: useLab.getState().settings.durability,
    acknowledged: result.checked,
    found: result.found,
    missing: result.missing,
    unreadable: result.unreadable,
    inDoubt: session.inDoubt,
  };
  return report;
}
