// The teacher's side of a class: a room on the relay that only this tab's key can write, a database of the class's
// own (`teach-<room>`, so the teacher's own is kept as it was), and every action the lab records appended to the
// class's log as it happens. The projector never waits for a student: appending is local, the relay passes it on.
import { t } from '../i18n';
import { lessonBySlug } from '../model/lessons';
import { reset, setLessonDatabase, switchDatabase } from '../store/actions';
import { say } from '../store/actions/say';
import { useLab } from '../store/store';
import { setAnnouncer } from './hooks';
import { type Link, openLink } from './link';
import type { Entry } from './protocol';
import { replay } from './replay';
import { codeDoc, codeOf, joinLink, newKey, roomDoc, roomIdOf } from './room';
import { useClass } from './store';

let room: Link | undefined;
let code: Link | undefined;
/** The database this tab had open before the class: opened again when the class ends. */
let own: string | undefined;

/** Starts a class on the relay set in the settings: a room, its code, the class's own database, emptied. */
export async function startClass(): Promise<void> {
  const { relay, role } = useClass.getState();
  if (!relay || role) return;
  await begin({ key: newKey(), relay, own: useLab.getState().database }, true);
  say(() => t('ui:class.msg.started'), 'ok');
}

/**
 * A teacher's tab reloaded finds its class where it left it: the room's log, replayed on the class's database as a
 * student's tab would, then announced to again. Answers false if this tab taught no class (or it is gone).
 */
export async function resumeClass(): Promise<boolean> {
  const saved = readSaved();
  if (!saved) return false;
  const resumed = await begin(saved, false);
  if (resumed) say(() => t('ui:class.msg.resumed'), 'ok');
  else {
    sessionStorage.removeItem(SAVED);
    say(() => t('ui:class.msg.lost'), 'error');
  }
  return resumed;
}

/** This tab's class, kept for a reload (the tab's session storage: gone with the tab). */
const SAVED = 'lsm-lab:teaching';
interface Saved {
  key: string;
  relay: string;
  /** The database the tab had open before the class. */
  own: string;
}

function readSaved(): Saved | undefined {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SAVED) ?? 'null') as Partial<Saved> | null;
    return typeof saved?.key === 'string' && typeof saved.relay === 'string' && typeof saved.own === 'string'
      ? (saved as Saved)
      : undefined;
  } catch {
    return undefined;
  }
}

async function begin(saved: Saved, fresh: boolean): Promise<boolean> {
  const { key, relay } = saved;
  const [roomId, shortCode] = await Promise.all([roomIdOf(key), codeOf(key)]);
  room = openLink(relay, roomDoc(roomId), key);
  code = openLink(relay, codeDoc(shortCode), key);
  // The code's document says which room it stands for: a student who typed the code reads it there.
  code.doc.getMap('join').set('room', roomId);
  const awareness = room.provider.awareness;
  awareness.setLocalState({ role: 'teacher' });
  const states = () => useClass.setState({ states: [...awareness.getStates().values()] });
  awareness.on('change', states);
  room.provider.on('status', ({ status }) => useClass.setState({ online: status === 'connected' }));
  room.provider.on('sync', (synced: boolean) => useClass.setState({ synced }));
  useClass.setState({
    role: 'teacher',
    room: roomId,
    code: shortCode,
    link: joinLink(location.href, relay, roomId),
    online: false,
    states: [],
    lessonAt: -1,
    mode: fresh ? 'following' : 'catching-up',
  });
  own = saved.own;
  setLessonDatabase(`teach-${roomId}-lesson`);
  const log = room.log;
  if (fresh) await switchDatabase(`teach-${roomId}`);
  else {
    // The log lives on the relay (and in every student's tab): it comes back with the first sync.
    const synced = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      room?.provider.once('sync', (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok && log.length > 0);
      });
    });
    if (!synced) {
      room.close();
      code.close();
      room = code = undefined;
      useClass.setState({ role: null, room: null, code: null, link: null, mode: 'following' });
      setLessonDatabase(null);
      await switchDatabase(own);
      return false;
    }
    await replay(log.toArray(), `teach-${roomId}`);
    useClass.setState({ mode: 'following' });
  }
  setAnnouncer((entry: Entry) => {
    // A practice question is the teacher's own: its database and what is done on it stay off the class's log.
    const open = useLab.getState().lesson;
    if (open && !lessonBySlug(open.id) && entry.k !== 'leave') return;
    if (entry.k === 'lesson') useClass.setState({ lessonAt: log.length });
    if (entry.k === 'leave') useClass.setState({ lessonAt: -1 });
    log.push([entry]);
  });
  sessionStorage.setItem(SAVED, JSON.stringify(saved));
  // A new class starts from an empty database with the teacher's settings: the log's first entry says so.
  if (fresh) await reset();
  return true;
}

/** Ends the class: students keep their copy and explore on their own; this tab opens its own database again. */
export async function endClass(): Promise<void> {
  if (useClass.getState().role !== 'teacher') return;
  room?.log.push([{ k: 'end' } satisfies Entry]);
  sessionStorage.removeItem(SAVED);
  setAnnouncer(null);
  room?.close();
  code?.close();
  room = code = undefined;
  useClass.setState({ role: null, room: null, code: null, link: null, online: false, states: [], lessonAt: -1 });
  setLessonDatabase(null);
  await switchDatabase(own ?? 'lsm-lab');
  say(() => t('ui:class.msg.ended'), 'ok');
}
