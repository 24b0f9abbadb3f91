// A class's names, derived from one secret the teacher's tab keeps: the room (130 bits, unguessable: the join link
// carries it) and a short code (8 characters, for typing off the projector). The relay knows neither the secret nor
// who the teacher is: a connection that shows a key whose hash is the room's name is the teacher's, and only the
// teacher's writes are kept (scripts/class-relay.mjs derives the same names the same way).

import { withLanguage } from '../i18n';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, unpadded: five bits per character, most significant first. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

async function hashed(label: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`lsm-lab ${label} ${key}`));
  return base32(new Uint8Array(digest));
}

/** The room a key opens: what the join link and the relay call the class. */
export async function roomIdOf(key: string): Promise<string> {
  return (await hashed('room', key)).slice(0, 26);
}

/** The short code a key owns: students type it to find the room. */
export async function codeOf(key: string): Promise<string> {
  return (await hashed('code', key)).slice(0, 8);
}

/** A new teacher's key: 256 random bits, URL-safe. It never leaves the teacher's tab but for the relay. */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export const ROOM_PATTERN = /^[a-z2-7]{26}$/;
export const CODE_PATTERN = /^[a-z2-7]{8}$/;

/** The relay's names for a class's two documents. */
export const roomDoc = (room: string) => `room-${room}`;
export const codeDoc = (code: string) => `code-${code}`;

/** A code as typed: spaces and case forgiven ("ABCD 2345" is "abcd2345"). Undefined if it cannot be one. */
export function readCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '').toLowerCase();
  return CODE_PATTERN.test(code) ? code : undefined;
}

/** A code as shown on the projector: upper case, in two halves. */
export const showCode = (code: string) => `${code.slice(0, 4).toUpperCase()} ${code.slice(4).toUpperCase()}`;

/** A relay's address as given in a setting or a link: ws: or wss: only, else undefined. */
export function readRelay(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
    return url.href.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

/** The link a student opens
: this page, the room and the relay. */
export function joinLink(page: string, relay: string, room: string): string {
  const url = new URL(page);
  url.search = '';
  url.hash = '';
  url.searchParams.set('class', room);
  url.searchParams.set('relay', relay);
  return withLanguage(url);
}

/** The class a page's address joins, if it names one (`?class=<room>&relay=<ws url>`). */
export function classFromAddress(search: string): { room: string; relay: string } | undefined {
  const params = new URLSearchParams(search);
  const room = params.get('class') ?? '';
  const relay = readRelay(params.get('relay'));
  return ROOM_PATTERN.test(room) && relay ? { room, relay } : undefined;
}

/** The databases a class runs on: the teacher's (`teach-<room>`) and each student's (`class-<room>`). */
export const isClassDatabase = (name: string) => /^(class|teach)-/.test(name);
