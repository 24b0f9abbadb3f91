// The entry codec (engine/codec/entry.ts) that every format shares: a WAL record's payload, an SSTable data block's
// entries and a write batch's writes are all op, key and value; a manifest names its tables' key ranges by keys.
import { OP_DELETE, OP_PUT } from '@lsm-lab/engine/inspect';
import type { Walker } from './walker';
import { plural } from './words';

/** One entry (codec/entry.ts): op, sequence, key length, key, value length, value. `where` names it. */
export function describeEntry(w: Walker, where: string): void {
  describeOp(w, where);
  w.u64('sequence', (seq) => `sequence number of ${where}: ${seq}`);
  describeKeyValue(w, where);
}

/** A put's or delete's op byte. */
export function describeOp(w: Walker, where: string): void {
  w.u8(
    'op',
    (op) => `op of ${where}: ${op === OP_PUT ? 'put' : op === OP_DELETE ? 'delete (a tombstone)' : 'unknown'} (${op})`,
    (op) => (op === OP_PUT || op === OP_DELETE ? undefined : 'not an op: 1 is put, 2 is delete'),
  );
}

/** Key length, key, value length, value: the rest of an entry, and of each write in a batch. */
export function describeKeyValue(w: Walker, where: string): void {
  const keyLength = w.u32('key-length', (n) => `key length of ${where}: ${plural(n, 'byte')}`);
  if (keyLength === undefined) return;
  w.bytes(keyLength, 'key', (key) => `key of ${where}: ${key}`, true);
  const valueLength = w.u32('value-length', (n) => `value length of ${where}: ${plural(n, 'byte')}`);
  if (valueLength === undefined) return;
  w.bytes(valueLength, 'value', (value) => `value of ${where}: ${value}`);
}

/** A length-prefixed key: key length u32, key. */
export function describeKey(w: Walker, what: string, kind: 'key' | 'index-key'): void {
  const length = w.u32('key-length', (n) => `length of the ${what}: ${plural(n, 'byte')}`);
  if (length !== undefined) w.bytes(length, kind, (key) => `${what}: ${key}`, true);
}
