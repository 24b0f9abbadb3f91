// One writer per database: the engine's lock lets one tab open it. Tabs talk over a BroadcastChannel so that a tab
// can ask the holder to let go (it closes cleanly and says so), or work on a database of its own instead.

import { t } from '../../i18n';
import { useLab } from '../store';
import { connect, retryOpen } from './connection';
import { say } from './say';
import { session } from './session';

/** The page's line to its sibling tabs; absent where BroadcastChannel is (a few embedded browsers). */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('lsm-lab') : undefined;
type TabMessage = { type: 'takeover'; database: string } | { type: 'released'; database: string };

channel?.addEventListener('message', (message: MessageEvent<TabMessage>) => {
  const { database, connection } = useLab.getState();
  if (message.data.database !== database) return;
  if (message.data.type === 'takeover' && connection.status === 'open' && session.client?.alive) void release();
  if (message.data.type === 'released' && (connection.status === 'locked' || session.waitingForRelease)) {
    session.waitingForRelease = false;
    void retryOpen();
  }
});

/** This tab closes the database cleanly (memtable in the WAL, lock released) so that another tab can open it. */
async function release(): Promise<void> {
  const db = session.client;
  session.client = undefined;
  await db?.close().catch(() => {});
  useLab.setState({ connection: { status: 'released' } });
  channel?.postMessage({ type: 'released', database: useLab.getState().database } satisfies TabMessage);
}

/** Asks the tab that holds the database to hand it over; opens it once that tab says it let go. */
export function takeOver(): void {
  session.waitingForRelease = true;
  channel?.postMessage({ type: 'takeover', database: useLab.getState().database } satisfies TabMessage);
  say(() => t('ui:msg.askedOtherTab'), 'info');
}

/** Works on another database (another OPFS directory), leaving the one the other tab holds alone. */
export async function openSeparateDatabase(): Promise<void> {
  const name = `lsm-lab-${Math.random().toString(16).slice(2, 6)}`;
  useLab.setState({ database: name, connection: { status: 'starting' } });
  await connect();
}
