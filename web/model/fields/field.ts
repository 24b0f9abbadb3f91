// A field, the unit the hex inspector names: a run of bytes with one meaning. Its kinds (with the legend's words)
// and the selection that says which fields a caller wants.
import '../../i18n/fields';
import { t } from '../../i18n';

export interface Field {
  /** First byte. */
  start: number;
  /** Just past the last byte. */
  end: number;
  kind: FieldKind;
  /** What the bytes mean, in words: "key of record 3: user:1". */
  label: string;
  /** The structure the field belongs to: "record 3", "data block 0", "index block", "footer", "trailer". */
  group: string;
  /**
   * For key fields: the key as lowercase hex, the form the UI's events and store use. For the unshared bytes of a
   * prefix-compressed key ('key-suffix'): the whole key they belong to.
   */
  keyHex?: string;
  /** Set when the bytes are readable but wrong: a checksum that does not match, an impossible value. */
  problem?: string;
}

/** Every kind of field, with the words the legend uses. */
export const FIELD_KINDS = {
  checksum: 'checksum (CRC32C)',
  length: 'length',
  op: 'op (put / delete / batch)',
  sequence: 'sequence number',
  'key-length': 'key length',
  key: 'key',
  'value-length': 'value length',
  value: 'value',
  'entry-count': 'count',
  compressed: 'compressed block body',
  'block-type': 'block type',
  'index-key': 'index: first key of a block',
  'block-offset': 'block offset',
  'block-length': 'block length',
  'bloom-bits': 'bloom filter bits',
  'bloom-k': 'bloom probes (k)',
  'file-number': 'file number',
  level: 'level',
  'byte-size': 'size in bytes',
  version: 'format version',
  'trailer-magic': 'magic "LSMT"',
  torn: 'torn tail',
  unparsed: 'unparsed bytes',
  'write-time': 'write time (ms)',
  'shared-length': 'key bytes shared with the key before',
  'unshared-length': 'key bytes stored (unshared)',
  'key-suffix': 'key: its unshared bytes',
  'restart-offset': 'restart point offset',
  'restart-count': 'restart point count',
} as const;

export type FieldKind = keyof typeof FIELD_KINDS;

/** A kind's words for the legend, in the language chosen now (`FIELD_KINDS` keeps the English ones). */
export function fieldKindText(kind: FieldKind): string {
  switch (kind) {
    case 'checksum':
      return t('fields:kinds.checksum');
    case 'length':
      return t('fields:kinds.length');
    case 'op':
      return t('fields:kinds.op');
    case 'sequence':
      return t('fields:kinds.sequence');
    case 'key-length':
      return t('fields:kinds.keyLength');
    case 'key':
      return t('fields:kinds.key');
    case 'value-length':
      return t('fields:kinds.valueLength');
    case 'value':
      return t('fields:kinds.value');
    case 'entry-count':
      return t('fields:kinds.entryCount');
    case 'compressed':
      return t('fields:kinds.compressed');
    case 'block-type':
      return t('fields:kinds.blockType');
    case 'index-key':
      return t('fields:kinds.indexKey');
    case 'block-offset':
      return t('fields:kinds.blockOffset');
    case 'block-length':
      return t('fields:kinds.blockLength');
    case 'bloom-bits':
      return t('fields:kinds.bloomBits');
    case 'bloom-k':
      return t('fields:kinds.bloomK');
    case 'file-number':
      return t('fields:kinds.fileNumber');
    case 'level':
      return t('fields:kinds.level');
    case 'byte-size':
      return t('fields:kinds.byteSize');
    case 'version':
      return t('fields:kinds.version');
    case 'trailer-magic':
      return t('fields:kinds.trailerMagic');
    case 'torn':
      return t('fields:kinds.torn');
    case 'unparsed':
      return t('fields:kinds.unparsed');
    case 'write-time':
      return t('fields:kinds.writeTime');
    case 'shared-length':
      return t('fields:kinds.sharedLength');
    case 'unshared-length':
      return t('fields:kinds.unsharedLength');
    case 'key-suffix':
      return t('fields:kinds.keySuffix');
    case 'restart-offset':
      return t('fields:kinds.restartOffset');
    case 'restart-count':
      return t('fields:kinds.restartCount');
  }
}

/**
 * Which fields to return. A WAL or an SSTable of a few MiB has a million fields: the inspector asks for one page
 * (`from`, `to`), the places of one key, or what looks wrong, and only those fields are built. The file is still
 * followed from its first byte (a log has no index: where record 1000 starts is known only after record 999).
 */
export interface Selection {
  /** Only fields with a byte in [from, to). */
  from?: number;
  to?: number;
  /** Only key fields holding exactly these bytes (lowercase hex). */
  key?: string;
  /** Only fields that are torn, unparsed or carry a problem. */
  problems?: boolean;
}
