// One of a class's documents on the relay, through y-websocket's own provider: it reconnects by itself (backing
// off to 2.5 s between tries), and on every reconnection the two sides exchange what the other lacks, so a tab that
// was offline for a minute, or a relay restarted, loses nothing that a tab still holding it can send again.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface Link {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The class's log: the teacher's entries, in order. */
  log: Y.Array<unknown>;
  close(): void;
}

export function openLink(relay: string, name: string, key?: string): Link {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relay, name, doc, {
    params: key ? { key } : {},
    // Never through a BroadcastChannel: tabs of one browser would then write into each other's documents without
    // the relay, which is what keeps students' writes out.
    disableBc: true,
  });
  return {
    doc,
    provider,
    log: doc.getArray('log'),
    close() {
      provider.awareness.setLocalState(null);
      provider.destroy();
      doc.destroy();
    },
  };
}
