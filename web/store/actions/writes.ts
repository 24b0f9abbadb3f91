// What the write buttons do: put, delete, a random insert, flush, compact and a whole workload. A write the engine
// acknowledged is recorded in the session: after a crash, recovery must bring every one of them back.
import { DEFAULT_SETTINGS, ErrorCode, LsmError, toHex, type WorkloadSpec } from '@lsm-lab/engine';
import { t } from '../../i18n';
import { showBytes, showCount, showSize } from '../../model/display';
import { useLab } from '../store';
import { bytesOf } from './input';
import { formatOf, record } from './recording';
import { describeError, say } from './say';
import { live, session } from './session';
import { refreshStats } from './stats';
import { openTxn, txnWrite } from './txns';

async function write(op: 'put' | 'delete', keyText: string, valueText: string): Promise<void> {
  const db = live();
  if (!db) return;
  const key = bytesOf(keyText, 'Key');
  const value = op === 'put' ? bytesOf(valueText, 'Value') : new Uint8Array(0);
  if (!key || !value) return;
  const shownKey = showBytes(toHex(key), 40);
  const sent = session.oracle.issue(
    op === 'put' ? { op, key: toHex(key), value: toHex(value) } : { op, key: toHex(key) },
  );
  try {
    if (op === 'put') await db.put(key, value);
    else await db.delete(key);
    session.oracle.ack(sent);
    const settings: { durability: string; groupCommitMs?: number } = useLab.getState().settings;
    const { durability } = settings;
    // A settings change (a lesson's, a scenario's) may have set the group's time: say the one the engine has.
    const ms = settings.groupCommitMs ?? DEFAULT_SETTINGS.groupCommitMs;
    const where = () =>
      durability === 'relaxed'
        ? t('ui:msg.write.relaxed', { ms: showCount(ms) })
        : durability === 'group'
          ? t('ui:msg.write.group')
          : t('ui:msg.write.durable');
    const shownValue = showBytes(toHex(value), 40);
    say(
      op === 'put'
        ? () => t('ui:msg.write.put', { key: shownKey, value: shownValue, where: where() })
        : () => t('ui:msg.write.deleted', { key: shownKey, where: where() }),
      'ok',
    );
  } catch (error) {
    // A crash rejects every write in flight; terminate() counted those as in doubt already.
    session.oracle.forget(sent);
    sayUnlessCrashed(error);
  }
}

export function put(keyText: string, valueText: string): Promise<void> {
  // While a transaction is open, writes go to its workspace (txns.ts), not the WAL.
  if (openTxn()) return txnWrite(keyText, valueText);
  record({ op: 'put', key: keyText, value: valueText, ...formatOf() });
  return write('put', keyText, valueText);
}

/**
 * A plain put while a transaction is open: what another client would write meanwhile. If the transaction read the
 * key (or scanned past it), its commit is refused.
 */
export function putOutside(keyText: string, valueText: string): Promise<void> {
  record({ op: 'put', key: keyText, value: valueText, ...formatOf() });
  return write('put', keyText, valueText);
}

export function remove(keyText: string): Promise<void> {
  if (openTxn()) return txnWrite(keyText, null);
  record({ op: 'delete', key: keyText, ...formatOf() });
  return write('delete', keyText, '');
}

/**
 * Puts (a value) and deletes (null) as one WriteBatch: one WAL record under one checksum, so a crash keeps all of
 * them or none.
 */
export async function writeBatch(writes: Array<{ key: string; value: string | null }>): Promise<void> {
  record({ op: 'batch', writes, ...formatOf() });
  const db = live();
  if (!db) return;
  const encoded: Array<[Uint8Array, Uint8Array | null]> = [];
  for (const w of writes) {
    const key = bytesOf(w.key, 'Key');
    const value = w.value === null ? null : bytesOf(w.value, 'Value');
    if (!key || value === undefined) return;
    encoded.push([key, value]);
  }
  const sent = encoded.map(([key, value]) =>
    session.oracle.issue(
      value === null ? { op: 'delete', key: toHex(key) } : { op: 'put', key: toHex(key), value: toHex(value) },
    ),
  );
  try {
    await db.write(encoded);
    for (const s of sent) session.oracle.ack(s);
    say(() => t('ui:msg.batch', { count: encoded.length, n: showCount(encoded.length) }), 'ok');
  } catch (error) {
    for (const s of sent) session.oracle.forget(s);
    sayUnlessCrashed(error);
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

export async function flush(): Promise<void> {
  record({ op: 'flush' });
  const db = live();
  if (!db) return;
  try {
    await db.flush();
    say(() => t('ui:msg.flushed'), 'ok');
  } catch (error) {
    sayUnlessCrashed(error);
  }
}

/**
 * Compact: LevelDB's CompactRange over every key, so a class watches tombstones and overwritten versions disappear
 * and every file end up in the last level, whether or not a level "needs" compaction by its score.
 */
export async function compact(): Promise<void> {
  record({ op: 'compact' });
  const db = live();
  if (!db) return;
  try {
    const done = await db.compactRange();
    say(
      done.compactions === 0
        ? () => t('ui:msg.compact.nothing')
        : () =>
            t('ui:msg.compact.done', {
              compactions: t('ui:msg.compact.compactions', { count: done.compactions, n: showCount(done.compactions) }),
              dropped: t('ui:msg.compact.dropped', { count: done.entriesDropped, n: showCount(done.entriesDropped) }),
              filtered:
                done.entriesFiltered > 0
                  ? t('ui:msg.compact.filtered', { count: done.entriesFiltered, n: showCount(done.entriesFiltered) })
                  : '',
              read: showSize(done.bytesRead),
              written: showSize(done.bytesWritten),
            }),
      'ok',
    );
  } catch (error) {
    sayUnlessCrashed(error);
  }
}

/**
 * A failed operation in words, unless a crash ended it: a crash point that fired mid-flush has said "Crash point
 * reached…" already, and the worker's termination is not news of its own.
 */
function sayUnlessCrashed(error: unknown): void {
  if (!(error instanceof LsmError && error.code === ErrorCode.Crashed)) say(describeError(error), 'error');
}

/** Thousands of operations inside the worker, untraced one by one: the engine reports progress instead. */
export async function runWorkload(spec: WorkloadSpec): Promise<void> {
  const db = live();
  if (!db) return;
  record({ op: 'workload', spec });
  useLab.setState({ workload: { running: true, done: 0, total: spec.operations } });
  try {
    const result = await db.runWorkload(spec);
    say(
      () =>
        t(result.cancelled ? 'ui:msg.workload.cancelled' : 'ui:msg.workload.done', {
          n: showCount(result.done),
          s: (result.ms / 1000).toFixed(1),
        }),
      'ok',
    );
  } catch (error) {
    sayUnlessCrashed(error);
  } finally {
    useLab.setState((s) => ({ workload: { ...s.workload, running: false } }));
    refreshStats();
  }
}

export async function cancelWorkload(): Promise<void> {
  await session.client?.cancelWorkload().catch(() => {});
}

/**
 * Moves the engine's clock `ms` ahead, so that a class sees values pass the TTL filter's age without waiting for it;
 * they go at the next compaction.
 */
export async function advanceClock(ms: number): Promise<void> {
  record({ op: 'clock', advanceMs: ms });
  const db = live();
  if (!db) return;
  try {
    session.clockOffsetMs = await db.advanceClock(ms);
    const offset = session.clockOffsetMs;
    say(() => t('ui:msg.clock', { by: showDuration(ms), total: showDuration(offset) }), 'ok');
  } catch (error) {
    sayUnlessCrashed(error);
  }
}

const showDuration = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);
