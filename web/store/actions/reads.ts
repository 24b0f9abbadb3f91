// What the read buttons do: a point get and a range scan. Their answer is a sentence; the picture of the read path
// comes from the engine's read.* and scan.* events like everything else.
import { toHex } from '@lsm-lab/engine';
import { t } from '../../i18n';
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
    const shownKey = keyText;
    const checked = () =>
      t('ui:msg.get.checked', {
        tables: t('ui:msg.get.tables', { count: result.tablesChecked }),
        skips: result.bloomSkips,
        blocks: t('ui:msg.get.blocks', { count: result.blocksRead }),
      });
    if (result.value) {
      const value = showBytes(toHex(result.value), 80);
      const source = result.source;
      say(
        () =>
          t('ui:msg.get.found', {
            key: shownKey,
            at: atText(at),
            value,
            where: source === 'memtable' ? t('ui:msg.get.memtable') : source,
            checked: checked(),
          }),
        'ok',
      );
      refreshStats();
    } else {
      say(() => t('ui:msg.get.notFound', { key: shownKey, at: atText(at), checked: checked() }), 'info');
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
    const count = result.count;
    say(
      () =>
        t('ui:msg.scan', {
          from: startText || t('ui:msg.scanFirstKey'),
          to: endText ? t('ui:msg.scanUpTo', { end: endText }) : '',
          at: atText(at),
          count,
        }),
      'ok',
    );
  } catch (error) {
    say(describeError(error), 'error');
  }
}

/** " at snapshot #5", " at the newest snapshot" or nothing, in the language of now. */
function atText(at: number | 'snapshot' | undefined): string {
  return typeof at === 'number' ? t('ui:msg.atSnapshot', { seq: at }) : at === 'snapshot' ? t('ui:msg.atNewest') : '';
}
