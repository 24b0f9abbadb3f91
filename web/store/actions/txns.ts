// A transaction from the toolbar: Begin, then Put and Delete go to its private workspace (and Get reads through
// it, so that what it read is checked at commit), then Commit or Abort. One at a time from the page; the engine
// holds it in its worker by id, as it holds snapshots, and it ends with that worker (close, reset, crash).
// Transactions are not recorded in a scenario: a replay would run their writes as plain ones.
import { ErrorCode, LsmError, toHex } from '@lsm-lab/engine';
import { t } from '../../i18n';
import { showBytes } from '../../model/display';
import { bytesOf } from './input';
import { describeError, say } from './say';
import { live, session } from './session';

/** The transaction this page has open in the engine running now, if any (none survives its worker). */
export function openTxn():
  | { id: number; seq: number; writes: Array<{ key: string; value: string | null }> }
  | undefined {
  const txn = session.txn;
  if (txn && txn.of !== session.client) session.txn = undefined;
  return session.txn;
}

export async function beginTxn(): Promise<void> {
  const db = live();
  if (!db) return;
  if (openTxn()) {
    say(() => t('ui:msg.txn.alreadyOpen'), 'error');
    return;
  }
  try {
    const { id, seq } = await db.txnBegin();
    session.txn = { of: db, id, seq, writes: [] };
    say(() => t('ui:msg.txn.began', { id, seq }), 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

/** A put (a value) or a delete (null) into the open transaction's workspace. */
export async function txnWrite(keyText: string, valueText: string | null): Promise<void> {
  const db = live();
  const txn = openTxn();
  if (!db || !txn) return;
  const key = bytesOf(keyText, 'Key');
  const value = valueText === null ? null : bytesOf(valueText, 'Value');
  if (!key || value === undefined) return;
  try {
    await db.txnWrite(txn.id, key, value);
    const shownKey = showBytes(toHex(key));
    txn.writes = txn.writes.filter((w) => w.key !== toHex(key));
    txn.writes.push({ key: toHex(key), value: value === null ? null : toHex(value) });
    say(() => t(value === null ? 'ui:msg.txn.keptDelete' : 'ui:msg.txn.keptPut', { key: shownKey, id: txn.id }), 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function txnGet(keyText: string): Promise<void> {
  const db = live();
  const txn = openTxn();
  if (!db || !txn) return;
  const key = bytesOf(keyText, 'Key');
  if (!key) return;
  try {
    const { value } = await db.txnGet(txn.id, key);
    const shownKey = showBytes(toHex(key));
    say(
      () =>
        t('ui:msg.txn.read', {
          id: txn.id,
          key: shownKey,
          value: value === null ? t('ui:msg.txn.nothing') : showBytes(toHex(value)),
        }),
      'ok',
    );
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function commitTxn(): Promise<void> {
  const db = live();
  const txn = openTxn();
  if (!db || !txn) return;
  session.txn = undefined;
  const sent = txn.writes.map(({ key, value }) =>
    session.oracle.issue(value === null ? { op: 'delete', key } : { op: 'put', key, value }),
  );
  try {
    await db.txnCommit(txn.id);
    for (const s of sent) session.oracle.ack(s);
    say(
      txn.writes.length > 0
        ? () => t('ui:msg.txn.committed', { id: txn.id, count: txn.writes.length })
        : () => t('ui:msg.txn.committedNothing', { id: txn.id }),
      'ok',
    );
  } catch (error) {
    for (const s of sent) session.oracle.forget(s);
    if (error instanceof LsmError && error.code === ErrorCode.Crashed) return;
    say(describeError(error), 'error');
  }
}

export async function abortTxn(): Promise<void> {
  const db = live();
  const txn = openTxn();
  if (!db || !txn) return;
  session.txn = undefined;
  try {
    await db.txnAbort(txn.id);
    say(() => t('ui:msg.txn.aborted', { id: txn.id }), 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}
