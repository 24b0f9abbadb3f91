// A student's side of a class: the class's log, replayed on this tab's own engine (`class-<room>`), drawn in step
// as it grows. Joining late, reloading, coming back from exploring: the tab empties its copy and replays what the
// log says is still there (planCatchUp), the picture jumping, then follows at the chosen speed again. It writes
// nothing to the relay but its awareness state: following or not, and its answer to the open question.

import { t } from '../i18n';
import { setLessonDatabase, switchDatabase } from '../store/actions';
import { say } from '../store/actions/say';
import { type Link, openLink } from './link';
import { readEntry } from './protocol';
import { apply, fast, replay } from './replay';
import { codeDoc, roomDoc } from './room';
import { useClass } from './store';

let link: Link | undefined;
/** The log's entries before this position are applied (or were skipped as moot by a catch-up). */
let applied = 0;
let pumping = false;
let catching: Promise<void> | undefined;

/** Opens the class `room` on `relay` and follows it from its first full sync on. */
export async function joinClass(room: string, relay: string): Promise<void> {
  if (link) return;
  useClass.setState({ role: 'student', room, relay, mode: 'catching-up', online: false, synced: false });
  setLessonDatabase(`class-${room}-lesson`);
  link = openLink(relay, roomDoc(room));
  const { provider, log } = link;
  provider.awareness.setLocalState({ role: 'student', following: true });
  provider.on('status', ({ status }) => useClass.setState({ online: status === 'connected' }));
  provider.on('sync', (synced: boolean) => {
    useClass.setState({ synced });
    // The first full picture of the log: now the tab knows where the class is.
    if (synced && applied === 0 && !catching) void catchUp();
  });
  log.observe(() => void pump());
  // The relay refused the room (expired, or never one): y-websocket does not retry a 44xx close, nor does the class.
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (!event || event.code < 4400 || event.code >= 4500) return;
    useClass.setState({ mode: 'ended', online: false });
    say(event.code === 4410 ? () => t('ui:class.msg.expired') : () => t('ui:class.msg.noSuchClass'), 'error');
  });
  // Whether this tab follows, for the teacher's count.
  useClass.subscribe((s, before) => {
    if (s.mode !== before.mode)
      link?.provider.awareness.setLocalStateField('following', s.mode === 'following' || s.mode === 'catching-up');
  });
  // The student's answer to the open question goes to the teacher's tab (which counts one per student).
  useClass.subscribe((s, before) => {
    if (s.lastAnswer !== before.lastAnswer && s.lastAnswer)
      link?.provider.awareness.setLocalStateField('answer', s.lastAnswer);
  });
  // Until the relay answers, the tab shows its copy as it was (a reload shows the class at once).
  await switchDatabase(`class-${room}`);
}

/** Reads a short code's room off the relay (the teacher's tab wrote it there). */
export function roomOfCode(relay: string, code: string, timeoutMs = 8000): Promise<string | undefined> {
  const lookup = openLink(relay, codeDoc(code));
  const join = lookup.doc.getMap('join');
  return new Promise((resolve) => {
    const done = (room: string | undefined) => {
      clearTimeout(timer);
      lookup.close();
      resolve(room);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const check = () => {
      const room = join.get('room');
      if (typeof room === 'string') done(room);
    };
    join.observe(check);
    lookup.provider.on('sync', (synced: boolean) => {
      if (synced) check();
    });
  });
}

/** Detaches: the student's own clicks act on their copy; the class goes on without them. */
export function explore(): void {
  if (useClass.getState().role !== 'student') return;
  useClass.setState({ mode: 'exploring' });
  say(() => t('ui:class.msg.exploring'), 'ok');
}

/** Back to the class: the copy is emptied and the class's log replayed up to where the teacher is. */
export function backToClass(): Promise<void> {
  return catchUp();
}

function catchUp(): Promise<void> {
  catching ??= (async () => {
    if (!link) return;
    useClass.setState({ mode: 'catching-up', ran: null });
    const log = link.log.toArray();
    const plan = await replay(log, `class-${useClass.getState().room}`).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      say(() => t('ui:class.msg.catchUpFailed', { message }), 'error');
      return { entries: [], lessonAt: -1, ended: false, ignored: [] };
    });
    for (const at of plan.ignored) note(at);
    applied = log.length;
    useClass.setState({ mode: plan.ended ? 'ended' : 'following' });
    say(
      plan.ended ? () => t('ui:class.msg.classEnded') : () => t('ui:class.msg.caughtUp', { count: log.length }),
      'ok',
    );
  })().finally(() => {
    catching = undefined;
  });
  return catching.then(pump);
}

/** Applies the log's new entries as they come, in step with the picture (a backlog is played at once). */
async function pump(): Promise<void> {
  if (pumping || !link || catching) return;
  pumping = true;
  try {
    while (link && applied < link.log.length && useClass.getState().mode === 'following') {
      const at = applied++;
      const entry = readEntry(link.log.get(at));
      if (!entry) {
        note(at);
        continue;
      }
      // Behind by more than a couple of entries (back from the network, a slow phone): jump, do not crawl.
      try {
        if (link.log.length - applied > 2) await fast(() => apply(entry, at));
        else await apply(entry, at);
      } catch (error) {
        // One entry this engine could not do (the message line says why) does not stop the class.
        const message = error instanceof Error ? error.message : String(error);
        say(() => t('ui:class.msg.entryFailed', { n: at + 1, message }), 'error');
      }
    }
  } finally {
    pumping = false;
  }
}

/** A log entry that is not one: never run, and said in the student's log. */
function note(at: number): void {
  // The entry's position is kept, not a sentence: the class panel words it in the language chosen when shown.
  useClass.setState((s) => ({ notes: [...s.notes.slice(-19), at + 1] }));
  say(() => t('ui:class.msg.ignored', { n: at + 1 }), 'info');
}
