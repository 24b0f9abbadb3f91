// Every byte of a database file, named: the hex inspector's parser. describeFile() splits a WAL, an SSTable or a
// manifest into fields (checksum, length, op, sequence, key, …), in file order, covering every byte exactly once,
// each with a label in plain words. The formats are the engine's (engine/README.md, "Files").
//
// Unlike the engine's readers, which stop at the first bad byte, this parser never throws: the inspector must show
// a torn tail, a flipped byte or a file that is still being written. A field whose bytes disagree with the rest
// (a checksum that does not match, an unknown op) carries a `problem`; bytes that cannot be parsed at all become a
// 'torn' field (a log's tail cut off mid-record: recovery drops it) or an 'unparsed' one.
import { inflateSync } from 'fflate';
import { fromHex, toHex } from '../../engine/bytes';
import { crc32c } from '../../engine/codec/crc32c';
import { OP_BATCH, OP_DELETE, OP_PUT } from '../../engine/codec/record';
import { type FileKind, parseFileName, sstableName } from '../../engine/filenames';
import { BLOCK_DEFLATE, BLOCK_FRAME_SIZE, BLOCK_RAW } from '../../engine/sstable/block';
import { FOOTER_FIXED_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from '../../engine/sstable/format';
import { MAX_RECORD_PAYLOAD, RECORD_HEADER_SIZE, recordChecksumMatches } from '../../engine/wal/format';
import { findValidRecordAfter } from '../../engine/wal/log-reader';
import { showBytes } from './display';

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
  /** For key fields: the key as lowercase hex, the form the UI's events and store use. */
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
} as const;

export type FieldKind = keyof typeof FIELD_KINDS;

/** Which format a file name announces, as the engine names its files. */
export function fileKindOf(name: string): FileKind | undefined {
  return parseFileName(name)?.kind;
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

/**
 * The fields of a file's bytes, in order. Without a selection they cover every byte exactly once; with one, they
 * are exactly the fields of the whole description that the selection admits. Never throws.
 */
export function describeFile(name: string, bytes: Uint8Array, selection: Selection = {}): Field[] {
  const fields = new FieldList(bytes, selection);
  const kind = fileKindOf(name);
  if (kind === 'wal') describeLog(fields, describeWalPayload);
  else if (kind === 'manifest') describeLog(fields, describeEditPayload);
  else if (kind === 'sstable') describeSstable(fields);
  else fields.add(0, bytes.length, 'unparsed', `${name} is not a file name LSM Lab writes`, 'file');
  return fields.finish();
}

// --- the building blocks --------------------------------------------------------------------------------------

/** A label, or what computes it: labels are built only for the fields a selection keeps. */
type Label = string | (() => string);

class FieldList {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #from: number;
  readonly #to: number;
  readonly #key: Uint8Array | undefined;
  readonly #problems: boolean;
  readonly #fields: Field[] = [];
  /** The byte ranges found so far, kept or not, merged as they come (a few runs): finish() names the gaps. */
  readonly #covered: Array<{ start: number; end: number }> = [];

  constructor(bytes: Uint8Array, selection: Selection) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#from = selection.from ?? 0;
    this.#to = selection.to ?? bytes.length;
    this.#key = selection.key === undefined ? undefined : keyBytes(selection.key);
    this.#problems = selection.problems ?? false;
  }

  add(start: number, end: number, kind: FieldKind, label: Label, group: string, extra?: Extra): void {
    if (end <= start) return;
    this.cover(start, end);
    if (!this.#wants(start, end, kind, extra)) return;
    const field: Field = { start, end, kind, label: typeof label === 'string' ? label : label(), group };
    if (extra?.key) field.keyHex = toHex(this.bytes.subarray(start, end));
    if (extra?.problem) {
      field.problem = extra.problem;
      field.label = `${field.label} (${extra.problem})`;
    }
    this.#fields.push(field);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  /** Sorted, overlaps trimmed (a parser bug must not show a byte twice), gaps named as unparsed bytes. */
  finish(): Field[] {
    const found = [...this.#fields];
    const covered = [...this.#covered].sort((a, b) => a.start - b.start);
    let at = 0;
    for (const run of covered) {
      if (run.start > at) this.#addGap(at, run.start, found);
      at = Math.max(at, run.end);
    }
    if (at < this.bytes.length) this.#addGap(at, this.bytes.length, found);
    found.sort((a, b) => a.start - b.start);
    const out: Field[] = [];
    at = 0;
    for (const field of found) {
      if (field.end <= at) continue;
      out.push(field.start < at ? { ...field, start: at } : field);
      at = field.end;
    }
    return out;
  }

  #addGap(start: number, end: number, out: Field[]): void {
    const label = `${end - start} bytes that no readable structure points at (damaged, or not yet written)`;
    if (this.#wants(start, end, 'unparsed')) out.push({ start, end, kind: 'unparsed', label, group: 'unparsed' });
  }

  /**
   * Whether the fields of [start, end) can be skipped unread: the selection is a page that lies elsewhere. The caller
   * then calls cover(), so that the bytes do not look like a gap.
   */
  skippable(start: number, end: number): boolean {
    return this.#key === undefined && !this.#problems && (end <= this.#from || start >= this.#to);
  }

  cover(start: number, end: number): void {
    const last = this.#covered[this.#covered.length - 1];
    if (last && start === last.end) last.end = end;
    else this.#covered.push({ start, end });
  }

  #wants(start: number, end: number, kind: FieldKind, extra?: Extra): boolean {
    if (end <= this.#from || start >= this.#to) return false;
    if (this.#problems && !(extra?.problem || kind === 'torn' || kind === 'unparsed')) return false;
    if (this.#key && !(extra?.key && this.#holds(start, end, this.#key))) return false;
    return true;
  }

  #holds(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.bytes[start + i] !== key[i]) return false;
    return true;
  }
}

interface Extra {
  /** The field holds a key: it gets keyHex. */
  key?: boolean;
  problem?: string | undefined;
}

/** A selection's key as bytes; a string that is not hex matches nothing. */
function keyBytes(hex: string): Uint8Array | undefined {
  try {
    return fromHex(hex);
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * Reads fields one after another inside [start, end). When the next field does not fit, the rest of the range
 * becomes one unparsed field saying what was expected, and every later read returns undefined.
 */
class Walker {
  readonly #list: FieldList;
  readonly #end: number;
  readonly group: string;
  at: number;
  #stopped = false;

  constructor(list: FieldList, start: number, end: number, group: string) {
    this.#list = list;
    this.at = start;
    this.#end = end;
    this.group = group;
  }

  get left(): number {
    return this.#end - this.at;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** The next byte, without taking it (undefined at the end). */
  peek(): number | undefined {
    return this.left > 0 ? this.#list.bytes[this.at] : undefined;
  }

  #take(size: number, kind: FieldKind): number | undefined {
    if (this.#stopped) return undefined;
    if (size > this.left) {
      this.stop(`${FIELD_KINDS[kind]} of ${size} bytes expected here; only ${this.left} are left in ${this.group}`);
      return undefined;
    }
    const at = this.at;
    this.at += size;
    return at;
  }

  u8(kind: FieldKind, label: (value: number) => string, check?: (value: number) => string | undefined) {
    const at = this.#take(1, kind);
    if (at === undefined) return undefined;
    const value = this.#list.bytes[at]!;
    this.#list.add(at, at + 1, kind, () => label(value), this.group, { problem: check?.(value) });
    return value;
  }

  u32(kind: FieldKind, label: (value: number) => string) {
    const at = this.#take(4, kind);
    if (at === undefined) return undefined;
    const value = this.#list.u32(at);
    this.#list.add(at, at + 4, kind, () => label(value), this.group);
    return value;
  }

  u64(kind: FieldKind, label: (value: bigint) => string) {
    const at = this.#take(8, kind);
    if (at === undefined) return undefined;
    const value = this.#list.view.getBigUint64(at, true);
    this.#list.add(at, at + 8, kind, () => label(value), this.group);
    return value;
  }

  /** `size` bytes; the label is given them shown as text (or hex when they are not printable). */
  bytes(size: number, kind: FieldKind, label: (shown: string) => string, key = false): void {
    const at = this.#take(size, kind);
    if (at === undefined) return;
    const bytes = this.#list.bytes;
    this.#list.add(at, at + size, kind, () => label(shown(bytes.subarray(at, at + size))), this.group, { key });
  }

  /** The rest of the range as one unparsed field (nothing when nothing is left). */
  stop(label: string): void {
    if (!this.#stopped) this.#list.add(this.at, this.#end, 'unparsed', label, this.group);
    this.#stopped = true;
    this.at = this.#end;
  }
}

const hex32 = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;
const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${n === 1 || n === 1n ? one : many}`;
const shown = (bytes: Uint8Array) => (bytes.length === 0 ? '(empty)' : showBytes(toHex(bytes), 40));

/** One entry (codec/record.ts): op, sequence, key length, key, value length, value. `where` names it. */
function describeEntry(w: Walker, where: string): void {
  describeOp(w, where);
  w.u64('sequence', (seq) => `sequence number of ${where}: ${seq}`);
  describeKeyValue(w, where);
}

/** A put's or delete's op byte. */
function describeOp(w: Walker, where: string): void {
  w.u8(
    'op',
    (op) => `op of ${where}: ${op === OP_PUT ? 'put' : op === OP_DELETE ? 'delete (a tombstone)' : 'unknown'} (${op})`,
    (op) => (op === OP_PUT || op === OP_DELETE ? undefined : 'not an op: 1 is put, 2 is delete'),
  );
}

/** Key length, key, value length, value: the rest of an entry, and of each write in a batch. */
function describeKeyValue(w: Walker, where: string): void {
  const keyLength = w.u32('key-length', (n) => `key length of ${where}: ${plural(n, 'byte')}`);
  if (keyLength === undefined) return;
  w.bytes(keyLength, 'key', (key) => `key of ${where}: ${key}`, true);
  const valueLength = w.u32('value-length', (n) => `value length of ${where}: ${plural(n, 'byte')}`);
  if (valueLength === undefined) return;
  w.bytes(valueLength, 'value', (value) => `value of ${where}: ${value}`);
}

/** A length-prefixed key: key length u32, key. */
function describeKey(w: Walker, what: string, kind: 'key' | 'index-key'): void {
  const length = w.u32('key-length', (n) => `length of the ${what}: ${plural(n, 'byte')}`);
  if (length !== undefined) w.bytes(length, kind, (key) => `${what}: ${key}`, true);
}

// --- framed logs: the WAL and the manifest (wal/format.ts) ------------------------------------------------------

type PayloadParser = (w: Walker, record: number) => void;

function describeWalPayload(w: Walker, record: number): void {
  if (w.peek() === OP_BATCH) describeBatch(w, record);
  else describeEntry(w, `record ${record}`);
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the entry in record ${record}'s payload`);
}

/** A write batch (codec/record.ts): op 3, first sequence, count, then per write op, key and value, no sequence. */
function describeBatch(w: Walker, record: number): void {
  w.u8('op', () => `op of record ${record}: a batch of writes, applied all or none (${OP_BATCH})`);
  w.u64('sequence', (seq) => `sequence number of the batch's first write: ${seq} (the next ones count up)`);
  const count = w.u32('entry-count', (n) => `writes in the batch: ${n}`);
  for (let i = 0; count !== undefined && i < count && !w.stopped; i++) {
    const where = `write ${i + 1} of record ${record}`;
    describeOp(w, where);
    describeKeyValue(w, where);
  }
}

/** Whether a whole record with a matching checksum starts at `at` (the engine's own test, wal/format.ts). */
function recordAt(list: FieldList, at: number): boolean {
  return recordChecksumMatches(list.bytes, at) !== undefined;
}

/** The next offset after `from` where a valid record starts: the engine's log reader's own search. */
function nextRecordAfter(list: FieldList, from: number): number | undefined {
  return findValidRecordAfter(list.bytes, from);
}

/**
 * Record after record, as wal/log-reader.ts reads them: a record cut off by the end of the file, or a damaged one
 * with nothing valid after it, is the torn tail recovery cuts off; damaged bytes with a valid record after them
 * are corruption.
 */
function describeLog(list: FieldList, payload: PayloadParser): void {
  const size = list.bytes.length;
  let at = 0;
  for (let record = 0; at < size; record++) {
    const group = `record ${record}`;
    if (size - at < RECORD_HEADER_SIZE) {
      const header = plural(size - at, 'byte');
      const label = `torn tail at byte ${at}: only ${header} of record ${record}'s 8-byte header; recovery cuts the log here`;
      list.add(at, size, 'torn', label, group);
      return;
    }
    const length = list.u32(at + 4);
    const end = at + RECORD_HEADER_SIZE + length;
    const fits = length <= MAX_RECORD_PAYLOAD && end <= size;
    const valid = fits && recordAt(list, at);
    const next = valid ? undefined : nextRecordAfter(list, at + 1);
    if (!valid && (!fits || (next !== undefined && next !== end))) {
      if (next === undefined) {
        const promised = length <= MAX_RECORD_PAYLOAD ? `its header promises ${plural(length, 'payload byte')}, ` : '';
        const present = plural(size - at - RECORD_HEADER_SIZE, 'byte');
        const label = `torn tail at byte ${at}: record ${record} is incomplete (${promised}${present} follow the header); recovery cuts the log here`;
        list.add(at, size, 'torn', label, group);
        return;
      }
      const label = `damaged bytes ${at}–${next - 1}: no valid record starts here, yet one follows at byte ${next} (corruption: recovery stops with an error)`;
      list.add(at, next, 'unparsed', label, group);
      at = next;
      continue;
    }
    if (valid && list.skippable(at, end)) {
      list.cover(at, end);
      at = end;
      continue;
    }
    const stored = list.u32(at);
    const problem = valid
      ? undefined
      : next === undefined
        ? 'does not match: recovery treats this last record as a torn tail and cuts it off'
        : 'does not match: the record is corrupt';
    const checksum = () => `checksum (CRC32C) of record ${record}: ${hex32(stored)}${valid ? ', matches' : ''}`;
    list.add(at, at + 4, 'checksum', checksum, group, { problem });
    list.add(at + 4, at + 8, 'length', () => `payload length of record ${record}: ${plural(length, 'byte')}`, group);
    payload(new Walker(list, at + RECORD_HEADER_SIZE, end, group), record);
    at = end;
  }
}

/** A version edit (manifest/edit.ts): counters, the tables added, the tables removed. */
function describeEditPayload(w: Walker, record: number): void {
  w.u32('file-number', (n) => `log number: ${n} (WALs numbered below it are in SSTables already)`);
  w.u32('file-number', (n) => `next file number: ${n}`);
  w.u64('sequence', (n) => `last sequence number: ${n}`);
  const added = w.u32('entry-count', (n) => `SSTables added by record ${record}: ${n}`);
  for (let i = 0; added !== undefined && i < added && !w.stopped; i++) {
    const where = `added table ${i}`;
    w.u8('level', (n) => `level of ${where}: L${n}`);
    w.u32('file-number', (n) => `file number of ${where}: ${n} (${sstableName(n)})`);
    w.u32('byte-size', (n) => `file size of ${where}: ${plural(n, 'byte')}`);
    w.u32('entry-count', (n) => `entries in ${where}: ${n}`);
    w.u32('entry-count', (n) => `data blocks in ${where}: ${n}`);
    w.u32('byte-size', (n) => `data bytes of ${where} (before compression): ${n}`);
    w.u64('sequence', (n) => `smallest sequence number in ${where}: ${n}`);
    w.u64('sequence', (n) => `largest sequence number in ${where}: ${n}`);
    describeKey(w, `smallest key of ${where}`, 'key');
    describeKey(w, `largest key of ${where}`, 'key');
  }
  const removed = w.u32('entry-count', (n) => `SSTables removed by record ${record}: ${n}`);
  for (let i = 0; removed !== undefined && i < removed && !w.stopped; i++) {
    w.u32('file-number', (n) => `removed table ${i}: file number ${n} (${sstableName(n)})`);
  }
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the end of record ${record}'s version edit`);
}

// --- SSTables (sstable/format.ts): data blocks | index block | filter block | footer | trailer --------------------

interface BlockHandle {
  offset: number;
  length: number;
}

function describeSstable(list: FieldList): void {
  const size = list.bytes.length;
  if (size < TRAILER_SIZE) {
    list.add(0, size, 'unparsed', `only ${plural(size, 'byte')}: too short for the 16-byte trailer`, 'file');
    return;
  }
  const trailerAt = size - TRAILER_SIZE;
  const footerLength = list.u32(trailerAt + 4);
  const footerAt = trailerAt - footerLength;
  // The footer's fixed part and two key lengths, at least.
  const footerFits = footerLength >= FOOTER_FIXED_SIZE + 8 && footerAt >= 0;
  const footerValid = footerFits && crc32c(list.bytes.subarray(footerAt, trailerAt)) === list.u32(trailerAt);
  const magicValid = SSTABLE_MAGIC.every((byte, i) => list.bytes[trailerAt + 12 + i] === byte);
  describeTrailer(list, trailerAt, footerFits, footerValid, magicValid);
  // Without the magic and a footer that checks, the end of the file is not a trailer: the file is incomplete.
  if (!footerFits || (!magicValid && !footerValid)) return;
  const footer = describeFooter(list, footerAt, trailerAt);
  if (!footer) return;
  // A damaged footer may point anywhere: only blocks that lie before it, and clear of each other, are read.
  const taken: BlockHandle[] = [{ offset: footerAt, length: size - footerAt }];
  const free = (block: BlockHandle) =>
    block.length >= BLOCK_FRAME_SIZE &&
    block.offset + block.length <= footerAt &&
    taken.every((t) => block.offset + block.length <= t.offset || block.offset >= t.offset + t.length);
  const { index, filter } = footer;
  let handles: BlockHandle[] = [];
  if (free(index)) {
    taken.push(index);
    handles = describeFramedBlock(list, index, 'index block', describeIndexBody);
  }
  if (filter.length > 0 && free(filter)) {
    taken.push(filter);
    describeFramedBlock(list, filter, 'filter block', describeFilterBody);
  }
  handles.forEach((block, i) => {
    if (!free(block)) return;
    taken.push(block);
    if (list.skippable(block.offset, block.offset + block.length))
      list.cover(block.offset, block.offset + block.length);
    else describeFramedBlock(list, block, `data block ${i}`, describeDataBody);
  });
}

function describeTrailer(
  list: FieldList,
  at: number,
  footerFits: boolean,
  footerValid: boolean,
  magicValid: boolean,
): void {
  const group = 'trailer';
  const checksum = `footer checksum (CRC32C): ${hex32(list.u32(at))}${footerValid ? ', matches the footer' : ''}`;
  const checksumProblem = footerFits && !footerValid ? 'does not match the footer' : undefined;
  list.add(at, at + 4, 'checksum', checksum, group, { problem: checksumProblem });
  const lengthProblem = footerFits ? undefined : 'no footer that long fits in the file';
  const length = `footer length: ${plural(list.u32(at + 4), 'byte')}`;
  list.add(at + 4, at + 8, 'length', length, group, { problem: lengthProblem });
  const version = list.u32(at + 8);
  const versionProblem = version === SSTABLE_VERSION ? undefined : `this reader knows version ${SSTABLE_VERSION}`;
  list.add(at + 8, at + 12, 'version', `format version: ${version}`, group, { problem: versionProblem });
  const magic = magicValid ? 'magic "LSMT": a reader starts here, at the last 16 bytes' : 'magic';
  const magicProblem = magicValid
    ? undefined
    : 'should be "LSMT": not an SSTable, or its end is not written yet, or it was damaged';
  list.add(at + 12, at + 16, 'trailer-magic', magic, group, { problem: magicProblem });
}

function describeFooter(
  list: FieldList,
  start: number,
  end: number,
): { index: BlockHandle; filter: BlockHandle } | undefined {
  const w = new Walker(list, start, end, 'footer');
  const indexOffset = w.u32('block-offset', (n) => `index block offset: byte ${n}`);
  const indexLength = w.u32('block-length', (n) => `index block length: ${plural(n, 'byte')}`);
  const filterOffset = w.u32('block-offset', (n) => `filter block offset: byte ${n}`);
  const filterLength = w.u32('block-length', (n) =>
    n === 0 ? 'filter block length: 0 (no bloom filter)' : `filter block length: ${plural(n, 'byte')}`,
  );
  w.u32('entry-count', (n) => `entries in the table: ${n}`);
  w.u32('entry-count', (n) => `data blocks in the table: ${n}`);
  w.u32('byte-size', (n) => `data bytes (block bodies before compression): ${n}`);
  w.u64('sequence', (n) => `smallest sequence number in the table: ${n}`);
  w.u64('sequence', (n) => `largest sequence number in the table: ${n}`);
  describeKey(w, 'smallest key in the table', 'key');
  describeKey(w, 'largest key in the table', 'key');
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the largest key: the footer does not parse`);
  if (indexOffset === undefined || indexLength === undefined) return undefined;
  if (filterOffset === undefined || filterLength === undefined) return undefined;
  return {
    index: { offset: indexOffset, length: indexLength },
    filter: { offset: filterOffset, length: filterLength },
  };
}

type BodyParser = (list: FieldList, start: number, end: number, group: string) => BlockHandle[];

/** Block framing (sstable/block.ts): stored body | type u8 | checksum u32. Returns what the body parser found. */
function describeFramedBlock(list: FieldList, block: BlockHandle, group: string, body: BodyParser): BlockHandle[] {
  const typeAt = block.offset + block.length - BLOCK_FRAME_SIZE;
  const type = list.bytes[typeAt]!;
  const stored = list.u32(typeAt + 1);
  const valid = crc32c(list.bytes.subarray(block.offset, typeAt + 1)) === stored;
  let found: BlockHandle[] = [];
  if (type === BLOCK_RAW) found = body(list, block.offset, typeAt, group);
  else if (type === BLOCK_DEFLATE) describeCompressedBody(list, block.offset, typeAt, group);
  else list.add(block.offset, typeAt, 'unparsed', `body of ${group}, stored with unknown type ${type}`, group);
  const known = type === BLOCK_RAW ? 'stored as is' : type === BLOCK_DEFLATE ? 'deflate-compressed' : 'unknown';
  const typeProblem = known === 'unknown' ? '0 is raw, 1 is deflate' : undefined;
  list.add(typeAt, typeAt + 1, 'block-type', `block type of ${group}: ${type}, ${known}`, group, {
    problem: typeProblem,
  });
  const checksum = `checksum (CRC32C) of ${group}: ${hex32(stored)}${valid ? ', matches its body and type' : ''}`;
  const problem = valid ? undefined : 'does not match: a reader refuses this block';
  list.add(typeAt + 1, typeAt + BLOCK_FRAME_SIZE, 'checksum', checksum, group, { problem });
  return found;
}

/** Index block body: (first key length u32 | first key | block offset u32 | block length u32)* | count u32. */
function describeIndexBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  const handles: BlockHandle[] = [];
  if (end - start < 4) {
    list.add(start, end, 'unparsed', `${group} body too short for its line count`, group);
    return handles;
  }
  const count = list.u32(end - 4);
  const w = new Walker(list, start, end - 4, group);
  for (let i = 0; i < count && !w.stopped && w.left > 0; i++) {
    describeKey(w, `first key of data block ${i}`, 'index-key');
    const offset = w.u32('block-offset', (n) => `offset of data block ${i}: byte ${n}`);
    const length = w.u32('block-length', (n) => `length of data block ${i}: ${plural(n, 'byte')} (framed, as stored)`);
    if (offset !== undefined && length !== undefined) handles.push({ offset, length });
  }
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the last index line`);
  list.add(end - 4, end, 'entry-count', `index lines (one per data block): ${count}`, group);
  return handles;
}

/** Filter block body: the bloom filter's bit array, then k u8. */
function describeFilterBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  if (end - start < 2) {
    list.add(start, end, 'unparsed', `${group} body too short for a bloom filter`, group);
    return [];
  }
  const bits = () => {
    let set = 0;
    for (let i = start; i < end - 1; i++) {
      for (let byte = list.bytes[i]!; byte !== 0; byte &= byte - 1) set++;
    }
    const total = (end - 1 - start) * 8;
    return `bloom filter bit array: ${total} bits, ${set} set (bit i is byte i >> 3, mask 1 << (i & 7))`;
  };
  list.add(start, end - 1, 'bloom-bits', bits, group);
  list.add(end - 1, end, 'bloom-k', `bloom probes per key (k): ${list.bytes[end - 1]}`, group);
  return [];
}

/** Data block body: entries in key order, then entry count u32. */
function describeDataBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  if (end - start < 4) {
    list.add(start, end, 'unparsed', `${group} body too short for its entry count`, group);
    return [];
  }
  const count = list.u32(end - 4);
  const w = new Walker(list, start, end - 4, group);
  for (let i = 0; i < count && !w.stopped && w.left > 0; i++) describeEntry(w, `entry ${i}`);
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the last entry`);
  list.add(end - 4, end, 'entry-count', () => `entries in ${group}: ${count}`, group);
  return [];
}

/** Not decompressed byte by byte (its entries have no place in the file), only counted. */
function describeCompressedBody(list: FieldList, start: number, end: number, group: string): void {
  const label = () => {
    const stored = `compressed block body: ${plural(end - start, 'byte')} of deflate`;
    try {
      const body = inflateSync(list.bytes.subarray(start, end));
      const count = body.length >= 4 ? new DataView(body.buffer, body.byteOffset).getUint32(body.length - 4, true) : 0;
      return `${stored}; inflates to ${plural(body.length, 'byte')} holding ${plural(count, 'entry', 'entries')}`;
    } catch {
      return `${stored}; does not inflate`;
    }
  };
  list.add(start, end, 'compressed', label, group);
}
