// What the Key and Value fields turn into: UTF-8 text, or bytes typed as hex (for keys that are not text:
// 0x00, 0xFF, invalid UTF-8). Bad input gets a clear message and nothing is sent to the engine.
import { fromHex, utf8 } from '@lsm-lab/engine';
import { t } from '../i18n';

export type InputFormat = 'text' | 'hex';

/** An unpaired half of a UTF-16 surrogate pair: it has no UTF-8 encoding (TextEncoder would write U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The error is a function: the message line calls it at render, so it follows a change of language. */
export function parseInput(
  text: string,
  format: InputFormat,
  field: 'Key' | 'Value',
): { bytes: Uint8Array } | { error: () => string } {
  const name = () => (field === 'Key' ? t('ui:input.key') : t('ui:input.value'));
  if (format === 'hex') {
    const hex = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (hex.length % 2 !== 0) return { error: () => t('ui:input.oddHex', { field: name(), count: hex.length }) };
    if (/[^0-9a-f]/i.test(hex)) return { error: () => t('ui:input.notHex', { field: name(), text }) };
    return { bytes: fromHex(hex) };
  }
  if (LONE_SURROGATE.test(text)) return { error: () => t('ui:input.loneSurrogate', { field: name() }) };
  return { bytes: utf8(text) };
}
