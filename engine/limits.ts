// What the engine accepts, checked before anything is written (engine/README.md, "Input rules").
import { invalidArgument } from './errors';

/** Keys are 1 to 1024 bytes: an empty key has no useful order position and cannot be shown or typed. */
export const MAX_KEY_BYTES = 1024;
/** Values are 0 to 64 KiB. An empty value is a real value, not a delete. */
export const MAX_VALUE_BYTES = 64 * 1024;

export function checkKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError(`key must be a Uint8Array, got ${typeName(key)}`);
  if (key.length === 0) throw invalidArgument('key must not be empty');
  if (key.length > MAX_KEY_BYTES) throw invalidArgument(`key is ${key.length} bytes; the limit is ${MAX_KEY_BYTES}`);
}

export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`value must be a Uint8Array, got ${typeName(value)}`);
  if (value.length > MAX_VALUE_BYTES) {
    throw invalidArgument(`value is ${value.length} bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
