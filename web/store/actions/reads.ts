// What the read buttons do: a point get and a range scan. Their answer is a sentence; the picture of the read path
// comes from the engine's read.* and scan.* events like everything else.
import { toHex } from '@lsm-lab/engine';
import { showBytes } from '../../model/display';
import { bytesOf } from './input';
import { formatOf, record } from './recording';
import { describeError, say } from './say';
import { live } from './session';
import { snapshotId } from './snapshots';
import { refreshStats } from './stats';
import { openTxn, txnGet } from './txns';

/** `at`: a live snapshot's sequence number (or the newest live one), to read the database as it was then. */
export async function get(keyText: string, at?: number | 'snapshot'): Promise<void> {
  // While a transaction is open, Get reads through it: its own writes first, then its snapshot (txns.ts).
  if (at === undefined && openTxn()) return txnGet(keyText);
  record({ op: 'get', key: keyText, ...formatOf(), ...(at === undefined ? {} : { at }) });
  const db = live();
  const key = bytesOf(keyText, 'Key');
  if (!db || !key) return;
  const snapshot = snapshotId(at);
  if (snapshot === undefined) return;
  keyText = showBytes(toHex(key), 40);
  try {
    const result = await db.get(key, snapshot);
    const atText = typeof at === 'number' ? ` at snapshot #${at}` : at === 'snapshot' ? ' at the newest snapshot' : '';
    const checked = `${result.tablesChecked} SSTable${result.tablesChecked === 1 ? '' : 's'} checked, ${result.bloomSkips} skipped by bloom filters, ${result.blocksRead} block${result.blocksRead === 1 ? '' : 's'} read`;
    if (result.value) {
      const where = result.source === 'memtable' ? 'the memtable' : result.source;
      say(`${keyText}${atText} = ${showBytes(toHex(result.value), 80)}: found in ${where} (${checked}).`, 'ok');
      refreshStats();
    } else {
      say(`${keyText}${atText}: not found (${checked}).`, 'info');
    }
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function scan(startText: string, endText: string, at?: number | 'snapshot'): Promise<void> {
  record({ op: 'scan', start: startText, end: endText, ...formatOf(), ...(at === undefined ? {} : { at }) });
  const db = live();
  if (!db) return;
  const start = startText ? bytesOf(startText, 'Key') : null;
  const end = endText ? bytesOf(endText, 'Key') : null;
  if (start === undefined || end === undefined) return;
  const snapshot = snapshotId(at);
  if (snapshot === undefined) return;
  try {
    const result = await db.scan(start, end, snapshot);
    const range = `${startText || 'the first key'}${endText ? ` up to ${endText}` : ''}`;
    const atText = typeof at === 'number' ? ` at snapshot #${at}` : at === 'snapshot' ? ' at the newest snapshot' : '';
    say(`Scan from ${range}${atText}: ${result.count} pair${result.count === 1 ? '' : 's'} in key order.`, 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}
