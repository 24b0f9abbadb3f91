// How bytes are shown: as text when they are printable UTF-8, else as 0x-prefixed hex.
import { decodeUtf8, fromHex } from '@lsm-lab/engine';

export function showBytes(hex: string | null, max = 32): string {
  if (hex === null) return '∅';
  const text = decodeUtf8(fromHex(hex));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we look for
  const shown = text !== undefined && !/[\u0000-\u001f\u007f]/.test(text) ? text : `0x${hex}`;
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

export function showSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A count with thousands separators, as toLocaleString('en') writes it. Without ICU: toLocaleString with a
 * locale builds a number formatter on every call, and the workload panel calls it several times a second.
 */
export function showCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en');
}

/** "1 entry", "2 entries": a count with its noun, singular for one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${showCount(n)} ${n === 1 ? one : many}`;
}
