// Snapshots: a read at a sequence number. The engine holds each one in its worker until it is released (or the
// database closes); the page knows them by their sequence numbers, which a replay of the same operations gives
// again, so scenarios and lessons name them by those.

import { t } from '../../i18n';
import { record } from './recording';
import { describeError, say } from './say';
import { live, session } from './session';

/** The snapshots held in the engine running now (none survive its close, reset or crash). */
export function heldSnapshots(): Array<{ seq: number; id: number }> {
  if (session.snapshots.of !== session.client) session.snapshots = { of: session.client, held: [] };
  return session.snapshots.held;
}

/** The worker's id of the snapshot a recorded operation names: its sequence number, or the newest held. */
export function snapshotId(at: number | 'snapshot' | undefined): number | null | undefined {
  if (at === undefined) return null;
  const held = heldSnapshots();
  const found = at === 'snapshot' ? held.at(-1) : held.find((s) => s.seq === at);
  if (!found)
    say(() => (at === 'snapshot' ? t('ui:msg.snapshot.none') : t('ui:msg.snapshot.noneAt', { seq: at })), 'error');
  return found?.id;
}

export async function takeSnapshot(): Promise<void> {
  record({ op: 'snapshot' });
  const db = live();
  if (!db) return;
  try {
    const { id, seq } = await db.snapshot();
    heldSnapshots().push({ seq, id });
    say(() => t('ui:msg.snapshot.taken', { seq }), 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}

export async function releaseSnapshot(seq: number | 'oldest'): Promise<void> {
  record({ op: 'release', seq });
  const db = live();
  if (!db) return;
  const held = heldSnapshots();
  const index = seq === 'oldest' ? 0 : held.findIndex((s) => s.seq === seq);
  const found = held[index];
  if (!found) {
    say(() => t('ui:msg.snapshot.noSuch'), 'error');
    return;
  }
  try {
    await db.releaseSnapshot(found.id);
    held.splice(index, 1);
    say(() => t('ui:msg.snapshot.released', { seq: found.seq }), 'ok');
  } catch (error) {
    say(describeError(error), 'error');
  }
}
