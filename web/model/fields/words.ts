// How numbers and bytes read in the labels: a checksum in hex, a count with its noun, bytes as text or hex.
import '../../i18n/fields';
import { toHex } from '@lsm-lab/engine';
import { t } from '../../i18n';
import { showBytes } from '../display';

export const hex32 = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;
export const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${n === 1 || n === 1n ? one : many}`;
export const shown = (bytes: Uint8Array) => (bytes.length === 0 ? t('fields:empty') : showBytes(toHex(bytes), 40));
/** "1 byte", "12 bytes", in the language chosen now. */
export const bytes = (n: number) => t('fields:bytes', { count: n });
/** A WAL or manifest record's name ("record 3"), the group its fields belong to. */
export const recordName = (record: number) => t('fields:record', { record });
