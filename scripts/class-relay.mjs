// @ts-check
/**
 * The class relay: a teacher's tab sends its operations to the students' tabs through it.
 *
 * It is y-websocket's own server (`@y/websocket-server/utils`: one Y.Doc per room, the Yjs sync and awareness
 * protocols, unchanged) behind a policy layer. Each connection reaches y-websocket through a facade that decides
 * what passes: the teacher (the one who holds the room's key) may write; a student may only ask for the document
 * and say who it is. Students see the teacher's awareness, never each other's. Rooms live in memory only and
 * expire. Nothing is written to disk, no address is logged.
 *
 * Close codes: 4404 not a room name, 4403 wrong key, 4429 too many messages, 4410 room expired, 1001 relay
 * shutting down (1009 is ws's own, for a message over 1 MiB).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';

// y-websocket's server reads two variables when it loads: YPERSISTENCE (keep every room in LevelDB on disk) and
// CALLBACK_URL (post rooms' contents to a URL). The relay keeps and sends nothing, so it loads the server without
// them, and puts them back for whatever else runs in this process.
const y = await (async () => {
  const saved = { YPERSISTENCE: process.env.YPERSISTENCE, CALLBACK_URL: process.env.CALLBACK_URL };
  delete process.env.YPERSISTENCE;
  delete process.env.CALLBACK_URL;
  try {
    return await import('@y/websocket-server/utils');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
})();
y.setPersistence(null);

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;

const MAX_PAYLOAD = 1024 * 1024;
const MAX_STUDENT_MESSAGE = 8 * 1024;
const MAX_AWARENESS_STATE = 1024;
const FLOOD_MESSAGES = 40;
const FLOOD_WINDOW_MS = 1000;
// setTimeout's longest delay (about 24.8 days); a longer one fires at once.
const LONGEST_TIMER = 2 ** 31 - 1;

export const CLOSE_NOT_A_ROOM = 4404;
export const CLOSE_WRONG_KEY = 4403;
export const CLOSE_TOO_MANY = 4429;
export const CLOSE_EXPIRED = 4410;

const ROOM_NAME = /^room-([a-z2-7]{26})$/;
const CODE_NAME = /^code-([a-z2-7]{8})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * RFC 4648 base32 in lower case, no padding, bits taken most significant first.
 * @param {Uint8Array} bytes
 */
export function base32(bytes) {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** @param {string} text */
async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** @param {string} text */
function sha256Now(text) {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

/**
 * The room a teacher's key opens (26 base32 characters, 130 bits of the key's hash): its document is `room-<id>`.
 * WebCrypto, as in the browser, so that both sides derive it with the same code.
 * @param {string} key
 */
export async function roomIdOf(key) {
  return base32(await sha256(`lsm-lab room ${key}`)).slice(0, 26);
}

/**
 * The short code of a teacher's key (8 base32 characters), for students who type it: its document is `code-<c>`.
 * @param {string} key
 */
export async function codeOf(key) {
  return base32(await sha256(`lsm-lab code ${key}`)).slice(0, 8);
}

/**
 * Whether `key` is the teacher's key of the document `name` (already checked to be a room or code name). The
 * relay checks synchronously (node:crypto), so that no message can arrive before the connection's role is known.
 * @param {string} name
 * @param {string} key
 */
function keyOpens(name, key) {
  const room = ROOM_NAME.exec(name);
  if (room) return base32(sha256Now(`lsm-lab room ${key}`)).slice(0, 26) === room[1];
  const code = CODE_NAME.exec(name);
  return code !== null && base32(sha256Now(`lsm-lab code ${key}`)).slice(0, 8) === code[1];
}

/** Reads lib0's encoding (variable-length unsigned integers, length-prefixed bytes); throws past the end. */
class Reader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  uint() {
    let value = 0;
    let scale = 1;
    // Seven bytes (49 bits) are more than any client ID or clock; lib0 itself refuses past 53.
    for (let i = 0; i < 7; i++) {
      if (this.at >= this.bytes.length) throw new RangeError('truncated');
      const byte = /** @type {number} */ (this.bytes[this.at++]);
      value += (byte & 127) * scale;
      if (byte < 128) return value;
      scale *= 128;
    }
    throw new RangeError('integer too long');
  }
  chunk() {
    const length = this.uint();
    if (this.at + length > this.bytes.length) throw new RangeError('truncated');
    const chunk = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return chunk;
  }
}

/** @param {number} value */
function uintBytes(value) {
  /** @type {number[]} */
  const out = [];
  while (value > 127) {
    out.push((value % 128) | 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/**
 * The entries of an awareness update: each client ID with the bytes of its whole entry (ID, clock, state JSON).
 * @param {Uint8Array} update
 */
function awarenessEntries(update) {
  const reader = new Reader(update);
  const count = reader.uint();
  /** @type {{ id: number, clock: number, state: Uint8Array, raw: Uint8Array }[]} */
  const entries = [];
  for (let i = 0; i < count; i++) {
    const start = reader.at;
    const id = reader.uint();
    const clock = reader.uint();
    const state = reader.chunk();
    entries.push({ id, clock, state, raw: update.subarray(start, reader.at) });
  }
  return entries;
}

const utf8 = new TextDecoder();

/**
 * @typedef {object} Room
 * @property {string} name
 * @property {import('@y/websocket-server/utils').WSSharedDoc} doc
 * @property {number} opened
 * @property {Set<Connection>} conns
 * @property {number} peak the most connections it had at once
 * @property {Set<number>} teacherIds awareness client IDs a teacher connection has spoken for
 * @property {Map<number, Connection>} owners which connection last spoke for each client ID
 * @property {WeakMap<Uint8Array, Uint8Array | null>} forStudents awareness broadcasts, cut down to the teachers
 * @property {ReturnType<typeof setTimeout>} ttlTimer
 * @property {ReturnType<typeof setTimeout> | undefined} emptyTimer
 */

/**
 * One socket, as y-websocket's server sees it: setupWSConnection gets this facade instead of the socket, so every
 * message in and out passes the relay's policy. It has just what setupWSConnection uses of a ws socket.
 */
class Connection {
  /**
   * @param {import('ws').WebSocket} ws
   * @param {Room} room
   * @param {boolean} teacher
   * @param {{ dropped: number }} counters
   */
  constructor(ws, room, teacher, counters) {
    this.ws = ws;
    this.room = room;
    this.teacher = teacher;
    this.counters = counters;
    /** @type {((message: ArrayBuffer) => void) | undefined} y-websocket's listener */
    this.listener = undefined;
    /** @type {number | undefined} the one awareness client ID a student may speak for */
    this.clientId = undefined;
    /** Messages dropped; `refused`: those that tried something (not the empty sync step 2 every client sends). */
    this.dropped = 0;
    this.refused = 0;
    /** @type {number[]} arrival times of a student's last FLOOD_MESSAGES messages (a ring) */
    this.times = [];
    this.next = 0;
    this.closing = false;
  }

  // ---- The part of a ws socket that setupWSConnection uses ----

  get readyState() {
    return this.ws.readyState;
  }
  /** @param {string} _type */
  set binaryType(_type) {
    // The relay set 'arraybuffer' itself; y-websocket asks for the same.
  }
  /**
   * @param {string} event
   * @param {(...args: any[]) => void} listener
   */
  on(event, listener) {
    if (event === 'message') this.listener = listener;
    else this.ws.on(event, listener);
    return this;
  }
  ping() {
    this.ws.ping();
  }
  close() {
    this.ws.close();
  }
  /**
   * y-websocket sends every awareness change to every connection in the room. A student gets only the teachers'
   * part of it: students never see each other (privacy, and 300 students do not cost 300 × 300 messages).
   * @param {Uint8Array} message
   * @param {object} options
   * @param {(err?: Error) => void} callback
   */
  send(message, options, callback) {
    if (!this.teacher && message[0] === MESSAGE_AWARENESS) {
      const forStudents = studentPart(this.room, message);
      if (forStudents === null) return;
      this.ws.send(forStudents, options, callback);
      return;
    }
    this.ws.send(message, options, callback);
  }

  // ---- Messages in ----

  /**
   * @param {ArrayBuffer | Buffer | Buffer[]} data
   * @param {boolean} isBinary
   */
  receive(data, isBinary) {
    if (this.closing) return;
    if (this.teacher) {
      const bytes = new Uint8Array(/** @type {ArrayBuffer} */ (data));
      if (bytes[0] === MESSAGE_AWARENESS) this.noteTeacherIds(bytes);
      this.listener?.(/** @type {ArrayBuffer} */ (data));
      return;
    }
    if (this.flooding()) {
      this.drop(true);
      this.closing = true;
      this.ws.close(CLOSE_TOO_MANY, 'too many messages');
      return;
    }
    if (!isBinary || !(data instanceof ArrayBuffer) || data.byteLength > MAX_STUDENT_MESSAGE) {
      this.drop(true);
      return;
    }
    const verdict = this.studentMay(new Uint8Array(data));
    if (verdict === 'pass') this.listener?.(data);
    else this.drop(verdict === 'refuse');
  }

  /** Whether this student has now sent more than FLOOD_MESSAGES messages within FLOOD_WINDOW_MS. */
  flooding() {
    const now = performance.now();
    if (this.times.length < FLOOD_MESSAGES) {
      this.times.push(now);
      return false;
    }
    const oldest = /** @type {number} */ (this.times[this.next]);
    this.times[this.next] = now;
    this.next = (this.next + 1) % FLOOD_MESSAGES;
    return now - oldest < FLOOD_WINDOW_MS;
  }

  /** @param {boolean} refused */
  drop(refused) {
    this.dropped++;
    this.counters.dropped++;
    if (refused) this.refused++;
  }

  /**
   * What a student's message may do: 'pass' (sync step 1, or awareness for its own client ID), 'ignore' (the
   * empty sync step 2 every client answers the relay's step 1 with: dropped, but nothing was attempted) or
   * 'refuse'. Whatever passes is decoded in full first, so that y-websocket never meets a message it cannot
   * read (it would log each one).
   * @param {Uint8Array} bytes
   * @returns {'pass' | 'ignore' | 'refuse'}
   */
  studentMay(bytes) {
    try {
      const reader = new Reader(bytes);
      const type = reader.uint();
      if (type === MESSAGE_SYNC) {
        const step = reader.uint();
        if (step === SYNC_STEP_1) {
          Y.decodeStateVector(reader.chunk());
          return 'pass';
        }
        if (step === SYNC_STEP_2) {
          const update = reader.chunk();
          return update.length === 2 && update[0] === 0 && update[1] === 0 ? 'ignore' : 'refuse';
        }
        return 'refuse';
      }
      if (type === MESSAGE_AWARENESS) return this.awarenessMay(reader.chunk());
      return 'refuse';
    } catch {
      return 'refuse';
    }
  }

  /**
   * A student speaks for one awareness client ID only, the first it uses (one that no teacher and no other open
   * connection speaks for), with a state of at most MAX_AWARENESS_STATE bytes of JSON. y-websocket's client sends
   * back every awareness change it receives (the teacher's state, each time it comes): such an echo, naming only
   * others' IDs at clocks the relay has already seen, is dropped as 'ignore'.
   * @param {Uint8Array} update
   * @returns {'pass' | 'ignore' | 'refuse'}
   */
  awarenessMay(update) {
    const entries = awarenessEntries(update);
    const first = entries[0];
    if (first === undefined) return 'refuse';
    const meta = this.room.doc.awareness.meta;
    if (entries.every((e) => e.id !== this.clientId && e.clock <= (meta.get(e.id)?.clock ?? -1))) return 'ignore';
    const id = this.clientId ?? first.id;
    for (const entry of entries) {
      if (entry.id !== id || entry.state.length > MAX_AWARENESS_STATE) return 'refuse';
      JSON.parse(utf8.decode(entry.state));
    }
    if (this.clientId === undefined) {
      const owner = this.room.owners.get(id);
      if (owner !== undefined && owner !== this && (owner.teacher || this.room.conns.has(owner))) return 'refuse';
      this.clientId = id;
      this.room.owners.set(id, this);
    }
    return 'pass';
  }

  /**
   * Remembers the client IDs a teacher speaks for: students are sent those. y-websocket's client sends back every
   * awareness change it receives, so a teacher's messages also name the students' IDs: an ID a student spoke for
   * first stays the student's. A teacher's messages all pass, so one that does not decode is simply not noted.
   * @param {Uint8Array} bytes
   */
  noteTeacherIds(bytes) {
    try {
      const reader = new Reader(bytes);
      reader.uint();
      for (const { id } of awarenessEntries(reader.chunk())) {
        const owner = this.room.owners.get(id);
        if (owner !== undefined && !owner.teacher) continue;
        this.room.teacherIds.add(id);
        this.room.owners.set(id, this);
      }
    } catch {
      // Not an awareness update we can read: y-websocket will say so.
    }
  }
}
/**
 * The teachers' part of an awareness broadcast (null: none). y-websocket sends the same bytes to every connection,
 * so each broadcast is cut once per room, not once per student.
 * @param {Room} room
 * @param {Uint8Array} message
 */
function studentPart(room, message) {
  const known = room.forStudents.get(message);
  if (known !== undefined) return known;
  /** @type {Uint8Array | null} */
  let part = null;
  try {
    const reader = new Reader(message);
    reader.uint();
    const entries = awarenessEntries(reader.chunk());
    const kept = entries.filter((entry) => room.teacherIds.has(entry.id));
    if (kept.length === entries.length) part = message;
    else if (kept.length > 0) {
      const body = [...uintBytes(kept.length)];
      for (const entry of kept) body.push(...entry.raw);
      part = Uint8Array.from([MESSAGE_AWARENESS, ...uintBytes(body.length), ...body]);
    }
  } catch {
    part = null;
  }
  room.forStudents.set(message, part);
  return part;
}

/**
 * @typedef {object} RelayOptions
 * @property {string} [host]
 * @property {number} [port] 0: any free port (the relay reports the one it got)
 * @property {number} [roomTtlMs] a room is closed (4410) and forgotten this long after it opened
 * @property {number} [emptyGraceMs] a room nobody is connected to is forgotten after this long
 * @property {(line: string) => void} [log]
 */

/**
 * @param {RelayOptions} [options]
 */
export async function startRelay({
  host = '127.0.0.1',
  port = 1234,
  roomTtlMs = 12 * 60 * 60 * 1000,
  emptyGraceMs = 10 * 60 * 1000,
  log = console.log,
} = {}) {
  /** @type {Map<string, Room>} */
  const rooms = new Map();
  const counters = { dropped: 0 };
  let teachers = 0;
  let students = 0;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`LSM Lab class relay: ${rooms.size} rooms`);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  /** @param {string} name */
  function openRoom(name) {
    /** @type {Room} */
    const room = {
      name,
      doc: y.getYDoc(name),
      opened: Date.now(),
      conns: new Set(),
      peak: 0,
      teacherIds: new Set(),
      owners: new Map(),
      forStudents: new WeakMap(),
      ttlTimer: setTimeout(() => expire(room), Math.min(roomTtlMs, LONGEST_TIMER)),
      emptyTimer: undefined,
    };
    rooms.set(name, room);
    log(`class relay: a room opened (${rooms.size} open)`);
    return room;
  }

  /** @param {Room} room */
  function forget(room) {
    if (rooms.get(room.name) !== room) return;
    clearTimeout(room.ttlTimer);
    clearTimeout(room.emptyTimer);
    rooms.delete(room.name);
    // Detach the sockets from y-websocket's doc first: their close events then find nothing to clean up there.
    room.doc.conns.clear();
    if (y.docs.get(room.name) === room.doc) y.docs.delete(room.name);
    room.doc.destroy();
    const minutes = Math.round((Date.now() - room.opened) / 60_000);
    log(`class relay: a room closed after ${minutes} min, ${room.peak} connections at most (${rooms.size} open)`);
  }

  /** @param {Room} room */
  function expire(room) {
    for (const conn of room.conns) {
      conn.closing = true;
      conn.ws.close(CLOSE_EXPIRED, 'room expired');
    }
    forget(room);
  }

  /**
   * @param {import('ws').WebSocket} ws
   * @param {import('node:http').IncomingMessage} req
   */
  function accept(ws, req) {
    // ws throws an 'error' with no listener (a message over maxPayload, a broken frame): it closes the socket anyway.
    ws.on('error', () => {});
    ws.binaryType = 'arraybuffer';
    /** @type {URL | undefined} */
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://relay');
    } catch {
      url = undefined;
    }
    const name = url?.pathname.slice(1) ?? '';
    if (url === undefined || (!ROOM_NAME.test(name) && !CODE_NAME.test(name))) {
      ws.close(CLOSE_NOT_A_ROOM, 'not a room');
      return;
    }
    const key = url.searchParams.get('key');
    if (key !== null && !keyOpens(name, key)) {
      ws.close(CLOSE_WRONG_KEY, 'wrong key');
      return;
    }
    const teacher = key !== null;
    const room = rooms.get(name) ?? openRoom(name);
    clearTimeout(room.emptyTimer);
    room.emptyTimer = undefined;
    const conn = new Connection(ws, room, teacher, counters);
    room.conns.add(conn);
    room.peak = Math.max(room.peak, room.conns.size);
    if (teacher) teachers++;
    else students++;
    ws.on('message', (data, isBinary) => conn.receive(data, isBinary));
    ws.on('close', () => {
      if (teacher) teachers--;
      else students--;
      room.conns.delete(conn);
      if (conn.refused > 0) {
        log(`class relay: dropped ${conn.dropped} messages from a student connection (writes or not allowed)`);
      }
      if (room.conns.size === 0 && rooms.get(room.name) === room) {
        room.emptyTimer = setTimeout(() => forget(room), Math.min(emptyGraceMs, LONGEST_TIMER));
      }
    });
    // The facade has every member of a ws socket that setupWSConnection touches.
    y.setupWSConnection(/** @type {any} */ (conn), req, { docName: name });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const realPort = typeof address === 'object' && address !== null ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `ws://${shownHost}:${realPort}`,
    port: realPort,
    stats() {
      let connections = 0;
      for (const room of rooms.values()) connections += room.conns.size;
      return { rooms: rooms.size, connections, teachers, students, dropped: counters.dropped };
    },
    /** Closes every socket (1001), forgets every room and stops listening. */
    async close() {
      for (const room of [...rooms.values()]) forget(room);
      for (const ws of wss.clients) ws.close(1001, 'relay shutting down');
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      // A client that does not answer the closing handshake is cut off after a moment.
      const cutOff = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
      }, 500);
      await closed;
      clearTimeout(cutOff);
      wss.close();
    },
  };
}
