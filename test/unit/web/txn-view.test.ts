// Transactions in the view, folded from a real run's events: the open transaction's workspace (key order, its
// tombstones too) beside the memtable, which it does not touch; the commit's one WAL record marked; a refused
// commit's key named; and nothing of a transaction outliving its end.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, toHex, utf8 } from '../../../engine';
import { narrate } from '../../../web/model/narrate';
import { lineOf } from '../../../web/model/pseudocode';
import { foldEvents } from '../../../web/model/view';
import { eventLog } from '../support/events';

const hex = (s: string) => toHex(utf8(s));

describe('transactions in the view', () => {
  it('folds the workspace, the commit record and a conflict', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { onEvent: log.record });
    await db.put(utf8('alice'), utf8('on'));
    await db.put(utf8('bob'), utf8('on'));
    const first = await db.transaction();
    const second = await db.transaction();
    await first.get(utf8('bob'));
    first.put(utf8('zed'), utf8('1'));
    first.put(utf8('alice'), utf8('off'));
    first.delete(utf8('carol'));
    let view = foldEvents(log.events);
    expect(view.txns.map((t) => [t.id, t.seq])).toEqual([
      [first.id, 2],
      [second.id, 2],
    ]);
    expect(view.txns[0]!.workspace).toEqual([
      { key: hex('alice'), op: 'put', value: hex('off') },
      { key: hex('carol'), op: 'delete', value: null },
      { key: hex('zed'), op: 'put', value: hex('1') },
    ]);
    expect(view.txns[0]!.reads).toEqual([{ key: hex('bob') }]);
    // The memtable is untouched: two entries, both from the plain puts.
    expect(view.memtable.entries.map((e) => e.key)).toEqual([hex('alice'), hex('bob')]);

    await first.commit();
    view = foldEvents(log.events);
    const batch = log.of('wal.batch')[0]!;
    expect(view.txnRecord).toEqual({ txn: first.id, file: batch.file, offset: batch.offset });
    expect(view.txns.map((t) => t.id)).toEqual([second.id]);
    expect(narrate(log.of('txn.commit')[0]!)).toContain('one batch record');

    await second.get(utf8('alice'));
    second.put(utf8('bob'), utf8('off'));
    await second.commit().catch(() => {});
    view = foldEvents(log.events);
    expect(view.txnConflict).toEqual({ txn: second.id, key: hex('alice'), range: null });
    expect(view.txns).toEqual([]);
    expect(narrate(log.of('txn.conflict')[0]!)).toContain('refused: alice, which it read at sequence 2');
    // The code panel follows each transaction: begin, its writes, the check that refused the second, the ends.
    const lines = log.events.filter((e) => e.type.startsWith('txn.')).map((e) => lineOf(e, false, false)?.line);
    expect(lines).toEqual([
      't-begin',
      't-begin',
      't-read',
      't-write',
      't-write',
      't-write',
      't-commit',
      't-read',
      't-write',
      't-check',
      't-abort',
    ]);
  });
});
