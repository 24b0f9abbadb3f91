// The entry codec (engine/codec/entry.ts) that every format shares: a WAL record's payload, an SSTable data block's
// entries and a write batch's writes are all op, key and value; a manifest names its tables' key ranges by keys.
import '../../i18n/fields';
import { OP_DELETE, OP_PUT } from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import type { Walker } from './walker';
import { bytes } from './words';

/** One entry (codec/entry.ts): op, sequence, key length, key, value length, value. `where` names it. */
export function describeEntry(w: Walker, where: string): void {
  describeOp(w, where);
  w.u64('sequence', (seq) => t('fields:entry.sequence', { where, seq: String(seq) }));
  describeKeyValue(w, where);
}

/** A put's or delete's op byte. */
export function describeOp(w: Walker, where: string): void {
  w.u8(
    'op',
    (op) =>
      op === OP_PUT
        ? t('fields:entry.opPut', { where, op })
        : op === OP_DELETE
          ? t('fields:entry.opDelete', { where, op })
          : t('fields:entry.opUnknown', { where, op }),
    (op) => (op === OP_PUT || op === OP_DELETE ? undefined : t('fields:entry.notAnOp')),
  );
}

/** Key length, key, value length, value: the rest of an entry, and of each write in a batch. */
export function describeKeyValue(w: Walker, where: string): void {
  const keyLength = w.u32('key-length', (n) => t('fields:entry.keyLength', { where, bytes: bytes(n) }));
  if (keyLength === undefined) return;
  w.bytes(keyLength, 'key', (key) => t('fields:entry.key', { where, key }), true);
  const valueLength = w.u32('value-length', (n) => t('fields:entry.valueLength', { where, bytes: bytes(n) }));
  if (valueLength === undefined) return;
  w.bytes(valueLength, 'value', (value) => t('fields:entry.value', { where, value }));
}

/** A length-prefixed key: key length u32, key. */
export function describeKey(w: Walker, what: string, kind: 'key' | 'index-key'): void {
  const length = w.u32('key-length', (n) => t('fields:entry.lengthOf', { what, bytes: bytes(n) }));
  if (length !== undefined) w.bytes(length, kind, (key) => t('fields:entry.named', { what, key }), true);
}
