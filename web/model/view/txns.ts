// Transactions as the picture shows them: each open one with its private workspace (its txn.write events, sorted by
// key: what nobody else sees yet) and what it read (its txn.read events: what its commit is checked against), the WAL record of the last commit, and the last conflict, as the engine said.
import type { EventOf, TxnView, ViewModel } from './view-model';

export function applyTxnEvent(
  view: ViewModel,
  event: EventOf<'txn.begin' | 'txn.read' | 'txn.write' | 'txn.commit' | 'txn.conflict' | 'txn.abort'>,
): ViewModel {
  switch (event.type) {
    case 'txn.begin': {
      const txn: TxnView = {
        id: event.txn,
        seq: event.seq,
        serializable: event.serializable ?? true,
        workspace: [],
        reads: [],
      };
      return { ...view, txns: [...view.txns, txn], txnConflict: null };
    }
    case 'txn.read': {
      const read = event.key !== undefined ? { key: event.key } : event.range;
      if (!read) return view;
      return {
        ...view,
        txns: view.txns.map((txn) => (txn.id === event.txn ? { ...txn, reads: [...txn.reads, read] } : txn)),
      };
    }
    case 'txn.write':
      return {
        ...view,
        txns: view.txns.map((txn) => {
          if (txn.id !== event.txn) return txn;
          // Hex compares like the bytes it spells: the workspace stays in key order, one write per key.
          const workspace = txn.workspace.filter((w) => w.key !== event.key);
          workspace.push({ key: event.key, op: event.op, value: event.value });
          workspace.sort((a, b) => (a.key < b.key ? -1 : 1));
          return { ...txn, workspace };
        }),
        focus: { kind: 'memtable', key: event.key },
      };
    case 'txn.commit':
      return {
        ...view,
        txns: view.txns.filter((txn) => txn.id !== event.txn),
        ...(event.record
          ? {
              txnRecord: { txn: event.txn, file: event.record.file, offset: event.record.offset },
              focus: { kind: 'wal' as const, file: event.record.file, offset: event.record.offset },
            }
          : {}),
      };
    case 'txn.conflict':
      return { ...view, txnConflict: { txn: event.txn, key: event.key, range: event.range ?? null } };
    case 'txn.abort':
      return { ...view, txns: view.txns.filter((txn) => txn.id !== event.txn) };
  }
}
