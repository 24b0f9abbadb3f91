// A field, the unit the hex inspector names: a run of bytes with one meaning. Its kinds (with the legend's words)
// and the selection that says which fields a caller wants.

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
