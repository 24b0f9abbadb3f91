// What the Key and Value fields turn into: UTF-8 text, or bytes typed as hex (for keys that are not text:
// 0x00, 0xFF, invalid UTF-8). Bad input gets a clear message and nothing is sent to the engine.
import { fromHex, utf8 } from '@lsm-lab/engine';

export type InputFormat = 'text' | 'hex';

/** An unpaired half of a UTF-16 surrogate pair: it has no UTF-8 encoding (TextEncoder would write U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseInput(
  text: string,
  format: InputFormat,
  field: 'Key' | 'Value',
): { bytes: Uint8Array } | { error: string } {
  if (format === 'hex') {
    const hex = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (hex.length % 2 !== 0) return { error: `${field}: hex needs two digits per byte (got ${hex.length} digits).` };
    if (/[^0-9a-f]/i.test(hex)) return { error: `${field}: "${text}" is not hex (use 0-9 and a-f).` };
    return { bytes: fromHex(hex) };
  }
  if (LONE_SURROGATE.test(text)) {
    return {
      error: `${field} contains a lone surrogate (half of a UTF-16 pair), which has no UTF-8 encoding. It would be stored as U+FFFD, a different key: switch the input to hex to write exact bytes.`,
    };
  }
  return { bytes: utf8(text) };
}
