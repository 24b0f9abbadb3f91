// The class relay (scripts/class-relay.mjs) with real y-websocket clients and raw sockets over loopback: the
// teacher's key writes, students only read, students' awareness goes to the teacher only, limits and expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  CLOSE_EXPIRED,
  CLOSE_NOT_A_ROOM,
  CLOSE_TOO_MANY,
  CLOSE_WRONG_KEY,
  codeOf,
  type Relay,
  roomIdOf,
  startRelay,
} from '../../../scripts/class-relay.mjs';

/** Polls until `check` holds (no sleeping for its own sake); fails with `what` after `ms`. */
async function waitFor(what: string, check: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const opened: { destroy(): void }[] = [];
afterEach(() => {
  for (const thing of opened.splice(0)) thing.destroy();
});

/** A y-websocket client as the app runs it (BroadcastChannel off: in one process it would bypass the relay). */
function client(relay: Relay, docName: string, key?: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relay.url, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: key === undefined ? {} : { key },
  });
  opened.push(provider, doc);
  return { doc, provider, log: doc.getArray<unknown>('log'), awareness: provider.awareness };
}

/** A raw socket, for what the y-websocket client would never send; `closed` resolves with the close code. */
function raw(relay: Relay, path: string) {
  const ws = new WebSocket(`${relay.url}${path}`);
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const open = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  opened.push({ destroy: () => ws.terminate() });
  return { ws, closed, open };
}

function uint(value: number): number[] {
  const out: number[] = [];
  while (value > 127) {
    out.push((value % 128) | 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

function chunk(bytes: Uint8Array | number[]): number[] {
  return [...uint(bytes.length), ...bytes];
}

/** A sync update message (type 0, subtype 2) carrying `update`. */
function syncUpdate(update: Uint8Array): Uint8Array {
  return Uint8Array.from([0, 2, ...chunk(update)]);
}

/** An awareness message speaking for `id` with `state`. */
function awarenessOf(id: number, clock: number, state: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return Uint8Array.from([1, ...chunk([...uint(1), ...uint(id), ...uint(clock), ...chunk(json)])]);
}

const TEACHER_KEY = 'correct horse battery staple';
let relay: Relay;
let room: string;
const lines: string[] = [];

beforeAll(async () => {
  relay = await startRelay({ port: 0, log: (line) => lines.push(line) });
  room = `room-${await roomIdOf(TEACHER_KEY)}`;
});
afterAll(async () => {
  await relay.close();
});

describe('class relay', () => {
  it('derives a key’s room and code as fixed strings', async () => {
    // Computed independently (Python's hashlib and base64.b32encode, lower-cased, padding dropped).
    expect(await roomIdOf(TEACHER_KEY)).toBe('evgdd3tmk7hftrtsnrohyjihlj');
    expect(await codeOf(TEACHER_KEY)).toBe('6dwh3iam');
    expect(await roomIdOf('')).toBe('fjf3rusy5rf3n5hrl2xbhs6mrl');
    expect(await codeOf('')).toBe('fjjwnq4e');
  });

  it('sends the teacher’s entries to every student; a student’s writes change nothing', async () => {
    const teacher = client(relay, room, TEACHER_KEY);
    const a = client(relay, room);
    const b = client(relay, room);
    teacher.log.push([
      { k: 'op', n: 1 },
      { k: 'op', n: 2 },
    ]);
    await waitFor('both students to hold both entries', () => a.log.length === 2 && b.log.length === 2);
    expect(b.log.toJSON()).toEqual([
      { k: 'op', n: 1 },
      { k: 'op', n: 2 },
    ]);

    const droppedBefore = relay.stats().dropped;
    // A student appends to its own copy and deletes the teacher's entries...
    a.log.push([{ k: 'op', n: 666 }]);
    a.log.delete(0, 2);
    // ...and a raw socket forges a sync update.
    const forger = new Y.Doc();
    forger.getArray('log').push(['forged']);
    const forged = raw(relay, `/${room}`);
    await forged.open;
    forged.ws.send(syncUpdate(Y.encodeStateAsUpdate(forger)));
    await waitFor('the relay to count the drops', () => relay.stats().dropped >= droppedBefore + 3);

    // The teacher's next entry is behind all of that on every socket: once it has arrived, the rest would have.
    teacher.log.push(['sentinel']);
    await waitFor('the sentinel at student b', () => b.log.length === 3);
    const expected = [{ k: 'op', n: 1 }, { k: 'op', n: 2 }, 'sentinel'];
    expect(b.log.toJSON()).toEqual(expected);
    expect(teacher.log.toJSON()).toEqual(expected);
    // A student joining now gets the relay's copy: the teacher's entries only.
    const late = client(relay, room);
    await waitFor('the late student to sync', () => late.provider.synced && late.log.length > 0);
    expect(late.log.toJSON()).toEqual(expected);
  });

  it('routes a student’s awareness to the teacher only', async () => {
    const teacher = client(relay, room, TEACHER_KEY);
    teacher.awareness.setLocalState({ role: 'teacher', step: 1 });
    const a = client(relay, room);
    const b = client(relay, room);
    a.awareness.setLocalState({ role: 'student', following: true });
    b.awareness.setLocalState({ role: 'student', following: true });
    const aId = a.doc.clientID;
    const bId = b.doc.clientID;
    await waitFor('the teacher to see both students', () => {
      const states = teacher.awareness.getStates();
      return states.get(aId)?.role === 'student' && states.get(bId)?.role === 'student';
    });
    // The teacher's change comes after the students' states on every socket.
    teacher.awareness.setLocalState({ role: 'teacher', step: 2 });
    await waitFor('the students to see the teacher', () =>
      [a, b].every((s) => s.awareness.getStates().get(teacher.doc.clientID)?.step === 2),
    );
    expect(b.awareness.getStates().has(aId)).toBe(false);
    expect(a.awareness.getStates().has(bId)).toBe(false);
    // y-websocket's client sends back every awareness change it gets, so the teacher's socket has named both
    // students by now: a student who joins later still gets the teacher's state only.
    const c = client(relay, room);
    await waitFor('the late student to see the teacher', () => c.awareness.getStates().has(teacher.doc.clientID));
    expect([...c.awareness.getStates().keys()].sort()).toEqual([c.doc.clientID, teacher.doc.clientID].sort());
  });

  it('lets a student speak for one awareness client ID only, never the teacher’s', async () => {
    const teacher = client(relay, room, TEACHER_KEY);
    teacher.awareness.setLocalState({ role: 'teacher' });
    const watcher = client(relay, room);
    const teacherId = teacher.doc.clientID;
    await waitFor('the watcher to see the teacher', () => watcher.awareness.getStates().has(teacherId));
    const student = raw(relay, `/${room}`);
    await student.open;
    const droppedBefore = relay.stats().dropped;
    // Its first ID may not be the teacher's: that is dropped and does not become its ID.
    student.ws.send(awarenessOf(teacherId, 1_000_000, { role: 'teacher', forged: true }));
    student.ws.send(awarenessOf(111, 1, { role: 'student', n: 1 }));
    student.ws.send(awarenessOf(222, 1, { role: 'student', n: 2 }));
    student.ws.send(awarenessOf(111, 2, { role: 'student', big: 'x'.repeat(1100) }));
    student.ws.send(awarenessOf(111, 3, { role: 'student', n: 3 }));
    await waitFor('the teacher to see ID 111’s last state', () => teacher.awareness.getStates().get(111)?.n === 3);
    expect(teacher.awareness.getStates().has(222)).toBe(false);
    expect(relay.stats().dropped - droppedBefore).toBe(3);
    teacher.awareness.setLocalState({ role: 'teacher', step: 'after' });
    await waitFor('the watcher to see the teacher’s change', () => watcher.awareness.getStates().get(teacherId)?.step);
    expect(watcher.awareness.getStates().get(teacherId)?.forged).toBeUndefined();
    expect(teacher.awareness.getStates().get(teacherId)?.forged).toBeUndefined();
  });

  it('closes a wrong key with 4403 and lets the right key open the code room', async () => {
    expect(await raw(relay, `/${room}?key=not-the-key`).closed).toBe(CLOSE_WRONG_KEY);
    expect(await raw(relay, `/code-${await codeOf(TEACHER_KEY)}?key=nope`).closed).toBe(CLOSE_WRONG_KEY);
    const teacher = client(relay, `code-${await codeOf(TEACHER_KEY)}`, TEACHER_KEY);
    const student = client(relay, `code-${await codeOf(TEACHER_KEY)}`);
    teacher.log.push(['by code']);
    await waitFor('the entry through the code room', () => student.log.length === 1);
  });

  it('closes anything that is not a room name with 4404, opening no room', async () => {
    const rooms = relay.stats().rooms;
    const names = [
      '/',
      '/room-abc',
      `/room-${'A'.repeat(26)}`,
      `/room-${'a'.repeat(27)}`,
      '/code-1234abcd',
      `/${room}/more`,
      '/other',
      `/code-${'a'.repeat(8)}x`,
    ];
    for (const name of names) expect(await raw(relay, name).closed, name).toBe(CLOSE_NOT_A_ROOM);
    expect(relay.stats().rooms).toBe(rooms);
    const res = await fetch(`http://127.0.0.1:${relay.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`LSM Lab class relay: ${rooms} rooms`);
  });

  it('survives garbage and huge messages, and still serves the next client', async () => {
    const teacher = client(relay, room, TEACHER_KEY);
    teacher.log.push(['before garbage']);
    const student = raw(relay, `/${room}`);
    await student.open;
    const droppedBefore = relay.stats().dropped;
    student.ws.send(Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 255, 255]));
    student.ws.send(Uint8Array.from([0, 0, 200]));
    student.ws.send(Uint8Array.from([1, 5, 1, 2]));
    student.ws.send(Uint8Array.from([1, ...chunk([1, 7, 1, ...chunk(new TextEncoder().encode('{not json'))])]));
    student.ws.send('some text');
    student.ws.send(new Uint8Array(9 * 1024));
    await waitFor('six drops', () => relay.stats().dropped === droppedBefore + 6);
    // Over ws's 1 MiB limit: the socket is closed (1009), the relay goes on.
    const huge = raw(relay, `/${room}`);
    await huge.open;
    huge.ws.send(new Uint8Array(2 * 1024 * 1024));
    expect(await huge.closed).toBe(1009);
    const teacherHuge = raw(relay, `/${room}?key=${encodeURIComponent(TEACHER_KEY)}`);
    await teacherHuge.open;
    teacherHuge.ws.send(new Uint8Array(2 * 1024 * 1024));
    expect(await teacherHuge.closed).toBe(1009);
    const next = client(relay, room);
    await waitFor('a new client to get the log', () => next.log.toJSON().includes('before garbage'));
  });

  it('closes a student who floods with 4429', async () => {
    const student = raw(relay, `/${room}`);
    await student.open;
    const step1 = Uint8Array.from([0, 0, 1, 0]);
    for (let i = 0; i < 60; i++) student.ws.send(step1);
    expect(await student.closed).toBe(CLOSE_TOO_MANY);
  });
});

describe('class relay rooms expire', () => {
  let short: Relay;
  const shortLines: string[] = [];
  afterAll(async () => {
    await short?.close();
  });

  it('forgets a room nobody is in after emptyGraceMs', async () => {
    short = await startRelay({ port: 0, emptyGraceMs: 150, roomTtlMs: 60_000, log: (l) => shortLines.push(l) });
    const key = 'grace key';
    const name = `room-${await roomIdOf(key)}`;
    const teacher = client(short, name, key);
    teacher.log.push(['kept in memory']);
    const student = client(short, name);
    await waitFor('the student to get it', () => student.log.length === 1);
    expect(short.stats()).toMatchObject({ rooms: 1, connections: 2, teachers: 1, students: 1 });
    teacher.provider.destroy();
    student.provider.destroy();
    await waitFor('the room to be forgotten', () => short.stats().rooms === 0);
    expect(shortLines.filter((l) => l.includes('room opened'))).toHaveLength(1);
    expect(shortLines.filter((l) => l.includes('room closed'))).toHaveLength(1);
    // A student who comes back finds an empty room: the document is gone.
    const back = client(short, name);
    await waitFor('the returning student to sync', () => back.provider.synced);
    expect(back.log.length).toBe(0);
  });

  it('closes every socket of a room older than roomTtlMs with 4410', async () => {
    const ttl = await startRelay({ port: 0, roomTtlMs: 300, log: () => {} });
    try {
      const key = 'ttl key';
      const name = `room-${await roomIdOf(key)}`;
      const teacher = raw(ttl, `/${name}?key=${encodeURIComponent(key)}`);
      const student = raw(ttl, `/${name}`);
      expect(await teacher.closed).toBe(CLOSE_EXPIRED);
      expect(await student.closed).toBe(CLOSE_EXPIRED);
      expect(ttl.stats().rooms).toBe(0);
    } finally {
      await ttl.close();
    }
  });
});
