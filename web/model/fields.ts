// Every byte of a database file, named: the hex inspector's parser. describeFile() splits a WAL, an SSTable or a
// manifest into fields (checksum, length, op, sequence, key, …), in file order, covering every byte exactly once,
// each with a label in plain words. The formats are the engine's (engine/README.md, "Files").
//
// Unlike the engine's readers, which stop at the first bad byte, this parser never throws: the inspector must show
// a torn tail, a flipped byte or a file that is still being written. A field whose bytes disagree with the rest
// (a checksum that does not match, an unknown op) carries a `problem`; bytes that cannot be parsed at all become a
// 'torn' field (a log's tail cut off mid-record: recovery drops it) or an 'unparsed' one.
import { inflateSync } from 'fflate';
import { toHex } from '../../engine/bytes';
import { crc32c } from '../../engine/codec/crc32c';
import { OP_DELETE, OP_PUT } from '../../engine/codec/record';
import { type FileKind, parseFileName, sstableName } from '../../engine/filenames';
import { BLOCK_DEFLATE, BLOCK_FRAME_SIZE, BLOCK_RAW } from '../../engine/sstable/block';
import { FOOTER_FIXED_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from '../../engine/sstable/format';
import { MAX_RECORD_PAYLOAD, RECORD_HEADER_SIZE } from '../../engine/wal/format';
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
  op: 'op (put / delete)',
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

/** The fields of a file's bytes, in order, covering every byte exactly once. Never throws. */
export function describeFile(name: string, bytes: Uint8Array): Field[] {
  const fields = new FieldList(bytes);
  const kind = fileKindOf(name);
  if (kind === 'wal') describeLog(fields, describeWalPayload);
  else if (kind === 'manifest') describeLog(fields, describeEditPayload);
  else if (kind === 'sstable') describeSstable(fields);
  else fields.add(0, bytes.length, 'unparsed', `${name} is not a file name LSM Lab writes`, 'file');
  return fields.finish();
}

// --- the building blocks --------------------------------------------------------------------------------------

class FieldList {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #fields: Field[] = [];

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  add(start: number, end: number, kind: FieldKind, label: string, group: string, extra?: Partial<Field>): void {
    if (end > start) this.#fields.push({ start, end, kind, label, group, ...extra });
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  /** Sorted, overlaps trimmed (a parser bug must not show a byte twice), gaps named as unparsed bytes. */
  finish(): Field[] {
    const sorted = [...this.#fields].sort((a, b) => a.start - b.start);
    const out: Field[] = [];
    let at = 0;
    for (const field of sorted) {
      if (field.end <= at) continue;
      if (field.start > at) out.push(gap(at, field.start));
      out.push(field.start < at ? { ...field, start: at } : field);
      at = field.end;
    }
    if (at < this.bytes.length) out.push(gap(at, this.bytes.length));
    return out;
  }
}

function gap(start: number, end: number): Field {
  return {
    start,
    end,
    kind: 'unparsed',
    label: `${end - start} bytes that no readable structure points at (damaged, or not yet written)`,
    group: 'unparsed',
  };
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

  #take(size: number, what: string): number | undefined {
    if (this.#stopped) return undefined;
    if (size > this.left) {
      this.stop(`${what} should take ${size} bytes; only ${this.left} are left in ${this.group}`);
      return undefined;
    }
    const at = this.at;
    this.at += size;
    return at;
  }

  u8(kind: FieldKind, what: string, label: (value: number) => string, check?: (value: number) => string | undefined) {
    const at = this.#take(1, what);
    if (at === undefined) return undefined;
    const value = this.#list.bytes[at]!;
    this.#add(at, 1, kind, label(value), check?.(value));
    return value;
  }

  u32(kind: FieldKind, what: string, label: (value: number) => string) {
    const at = this.#take(4, what);
    if (at === undefined) return undefined;
    const value = this.#list.u32(at);
    this.#add(at, 4, kind, label(value));
    return value;
  }

  u64(kind: FieldKind, what: string, label: (value: bigint) => string) {
    const at = this.#take(8, what);
    if (at === undefined) return undefined;
    const value = this.#list.view.getBigUint64(at, true);
    this.#add(at, 8, kind, label(value));
    return value;
  }

  bytes(size: number, kind: FieldKind, what: string, label: (hex: string) => string, isKey = false) {
    const at = this.#take(size, what);
    if (at === undefined) return undefined;
    const hex = toHex(this.#list.bytes.subarray(at, at + size));
    this.#add(at, size, kind, label(hex), undefined, isKey ? hex : undefined);
    return hex;
  }

  /** The rest of the range as one unparsed field (nothing when nothing is left). */
  stop(label: string): void {
    if (!this.#stopped) this.#list.add(this.at, this.#end, 'unparsed', label, this.group);
    this.#stopped = true;
    this.at = this.#end;
  }

  #add(at: number, size: number, kind: FieldKind, label: string, problem?: string, keyHex?: string): void {
    const extra: Partial<Field> = {};
    if (problem) extra.problem = problem;
    if (keyHex !== undefined) extra.keyHex = keyHex;
    this.#list.add(at, at + size, kind, problem ? `${label} (${problem})` : label, this.group, extra);
  }
}

const hex32 = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;
const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${n === 1 || n === 1n ? one : many}`;
const shown = (hex: string) => (hex.length === 0 ? '(empty)' : showBytes(hex, 40));

/** One entry (codec/record.ts): op, sequence, key length, key, value length, value. `where` names it. */
function describeEntry(w: Walker, where: string): void {
  w.u8(
    'op',
    `op of ${where}`,
    (op) => `op of ${where}: ${op === OP_PUT ? 'put' : op === OP_DELETE ? 'delete (a tombstone)' : 'unknown'} (${op})`,
    (op) => (op === OP_PUT || op === OP_DELETE ? undefined : 'not an op: 1 is put, 2 is delete'),
  );
  w.u64('sequence', `the sequence number of ${where}`, (seq) => `sequence number of ${where}: ${seq}`);
  const keyLength = w.u32(
    'key-length',
    `the key length of ${where}`,
    (n) => `key length of ${where}: ${plural(n, 'byte')}`,
  );
  if (keyLength === undefined) return;
  w.bytes(keyLength, 'key', `the key of ${where}`, (hex) => `key of ${where}: ${shown(hex)}`, true);
  const valueLength = w.u32(
    'value-length',
    `the value length of ${where}`,
    (n) => `value length of ${where}: ${plural(n, 'byte')}`,
  );
  if (valueLength === undefined) return;
  w.bytes(valueLength, 'value', `the value of ${where}`, (hex) => `value of ${where}: ${shown(hex)}`);
}

// --- framed logs: the WAL and the manifest (wal/format.ts) ------------------------------------------------------

type PayloadParser = (w: Walker, record: number) => void;

function describeWalPayload(w: Walker, record: number): void {
  describeEntry(w, `record ${record}`);
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the entry in record ${record}'s payload`);
}

/** Whether a whole record with a matching checksum starts at `at`. */
function recordAt(list: FieldList, at: number): boolean {
  if (list.bytes.length - at < RECORD_HEADER_SIZE) return false;
  const length = list.u32(at + 4);
  if (length > MAX_RECORD_PAYLOAD || at + RECORD_HEADER_SIZE + length > list.bytes.length) return false;
  return crc32c(list.bytes.subarray(at + 4, at + RECORD_HEADER_SIZE + length)) === list.u32(at);
}

/** The next offset after `from` where a valid record starts, as the engine's log reader looks for one. */
function nextRecordAfter(list: FieldList, from: number): number | undefined {
  for (let at = from; at + RECORD_HEADER_SIZE <= list.bytes.length; at++) if (recordAt(list, at)) return at;
  return undefined;
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
      list.add(
        at,
        size,
        'torn',
        `torn tail at byte ${at}: only ${plural(size - at, 'byte')} of record ${record}'s 8-byte header; recovery cuts the log here`,
        group,
      );
      return;
    }
    const length = list.u32(at + 4);
    const end = at + RECORD_HEADER_SIZE + length;
    const fits = length <= MAX_RECORD_PAYLOAD && end <= size;
    const valid = fits && recordAt(list, at);
    const next = valid ? undefined : nextRecordAfter(list, at + 1);
    if (!valid && (!fits || (next !== undefined && next !== end))) {
      if (next === undefined) {
        const promised = length <= MAX_RECORD_PAYLOAD ? `its header promises ${plural(length, 'payload byte')}` : '';
        list.add(
          at,
          size,
          'torn',
          `torn tail at byte ${at}: record ${record} is incomplete (${promised ? `${promised}, ` : ''}${plural(size - at - RECORD_HEADER_SIZE, 'byte')} follow the header); recovery cuts the log here`,
          group,
        );
        return;
      }
      list.add(
        at,
        next,
        'unparsed',
        `damaged bytes ${at}–${next - 1}: no valid record starts here, yet one follows at byte ${next} (corruption: recovery stops with an error)`,
        group,
      );
      at = next;
      continue;
    }
    const stored = list.u32(at);
    const problem = valid
      ? undefined
      : next === undefined
        ? 'does not match: recovery treats this last record as a torn tail and cuts it off'
        : 'does not match: the record is corrupt';
    list.add(
      at,
      at + 4,
      'checksum',
      `checksum (CRC32C) of record ${record}: ${hex32(stored)}, ${problem ?? 'matches its length and payload'}`,
      group,
      problem ? { problem } : undefined,
    );
    list.add(at + 4, at + 8, 'length', `payload length of record ${record}: ${plural(length, 'byte')}`, group);
    payload(new Walker(list, at + RECORD_HEADER_SIZE, end, group), record);
    at = end;
  }
}

/** A version edit (manifest/edit.ts): counters, the tables added, the tables removed. */
function describeEditPayload(w: Walker, record: number): void {
  w.u32('file-number', 'the log number', (n) => `log number: ${n} (WALs numbered below it are in SSTables already)`);
  w.u32('file-number', 'the next file number', (n) => `next file number: ${n}`);
  w.u64('sequence', 'the last sequence number', (n) => `last sequence number: ${n}`);
  const added = w.u32('entry-count', 'the added count', (n) => `SSTables added by record ${record}: ${n}`);
  for (let i = 0; added !== undefined && i < added && !w.stopped; i++) {
    const where = `added table ${i}`;
    w.u8('level', `the level of ${where}`, (n) => `level of ${where}: L${n}`);
    w.u32('file-number', `the file number of ${where}`, (n) => `file number of ${where}: ${n} (${sstableName(n)})`);
    w.u32('byte-size', `the file size of ${where}`, (n) => `file size of ${where}: ${plural(n, 'byte')}`);
    w.u32('entry-count', `the entry count of ${where}`, (n) => `entries in ${where}: ${n}`);
    w.u32('entry-count', `the block count of ${where}`, (n) => `data blocks in ${where}: ${n}`);
    w.u32('byte-size', `the data bytes of ${where}`, (n) => `data bytes of ${where} (before compression): ${n}`);
    w.u64('sequence', `the smallest sequence of ${where}`, (n) => `smallest sequence number in ${where}: ${n}`);
    w.u64('sequence', `the largest sequence of ${where}`, (n) => `largest sequence number in ${where}: ${n}`);
    describeKey(w, `smallest key of ${where}`, 'key');
    describeKey(w, `largest key of ${where}`, 'key');
  }
  const removed = w.u32('entry-count', 'the removed count', (n) => `SSTables removed by record ${record}: ${n}`);
  for (let i = 0; removed !== undefined && i < removed && !w.stopped; i++) {
    w.u32('file-number', `removed table ${i}`, (n) => `removed table ${i}: file number ${n} (${sstableName(n)})`);
  }
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the end of record ${record}'s version edit`);
}

/** A length-prefixed key: key length u32, key. */
function describeKey(w: Walker, what: string, kind: 'key' | 'index-key'): void {
  const length = w.u32('key-length', `the length of the ${what}`, (n) => `length of the ${what}: ${plural(n, 'byte')}`);
  if (length !== undefined) w.bytes(length, kind, `the ${what}`, (hex) => `${what}: ${shown(hex)}`, true);
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
  const storedChecksum = list.u32(trailerAt);
  const footerValid = footerFits && crc32c(list.bytes.subarray(footerAt, trailerAt)) === storedChecksum;
  const magicValid = SSTABLE_MAGIC.every((byte, i) => list.bytes[trailerAt + 12 + i] === byte);
  describeTrailer(list, trailerAt, footerFits, footerValid, magicValid);
  // Without the magic and a footer that checks, the end of the file is not a trailer: the file is incomplete.
  if (!footerFits || (!magicValid && !footerValid)) return;
  const footer = describeFooter(list, footerAt, trailerAt);
  if (!footer) return;
  const { index, filter } = footer;
  const inside = (block: BlockHandle) => block.offset + block.length <= footerAt;
  const handles =
    index.length >= BLOCK_FRAME_SIZE && inside(index)
      ? describeFramedBlock(list, index, 'index block', describeIndexBody)
      : [];
  if (filter.length > 0 && inside(filter)) describeFramedBlock(list, filter, 'filter block', describeFilterBody);
  // Data blocks lie before the index, in the order the index lists them, never overlapping.
  let claimed = 0;
  handles.forEach((block, i) => {
    if (block.offset < claimed || block.offset + block.length > index.offset || block.length < BLOCK_FRAME_SIZE) return;
    describeFramedBlock(list, block, `data block ${i}`, describeDataBody);
    claimed = block.offset + block.length;
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
  const checksumProblem = footerFits && !footerValid ? 'does not match the footer' : undefined;
  list.add(
    at,
    at + 4,
    'checksum',
    `footer checksum (CRC32C): ${hex32(list.u32(at))}${footerValid ? ', matches the footer' : checksumProblem ? `, ${checksumProblem}` : ''}`,
    group,
    checksumProblem ? { problem: checksumProblem } : undefined,
  );
  const footerLength = list.u32(at + 4);
  const lengthProblem = footerFits ? undefined : 'no footer that long fits in the file';
  list.add(
    at + 4,
    at + 8,
    'length',
    `footer length: ${plural(footerLength, 'byte')}${lengthProblem ? ` (${lengthProblem})` : ''}`,
    group,
    lengthProblem ? { problem: lengthProblem } : undefined,
  );
  const version = list.u32(at + 8);
  const versionProblem = version === SSTABLE_VERSION ? undefined : `this reader knows version ${SSTABLE_VERSION}`;
  list.add(
    at + 8,
    at + 12,
    'version',
    `format version: ${version}${versionProblem ? ` (${versionProblem})` : ''}`,
    group,
    versionProblem ? { problem: versionProblem } : undefined,
  );
  const magicProblem = magicValid
    ? undefined
    : 'should be "LSMT": not an SSTable, or its end is not written yet, or it was damaged';
  list.add(
    at + 12,
    at + 16,
    'trailer-magic',
    magicValid ? 'magic "LSMT": a reader starts here, at the last 16 bytes' : `magic ${magicProblem}`,
    group,
    magicProblem ? { problem: magicProblem } : undefined,
  );
}

function describeFooter(
  list: FieldList,
  start: number,
  end: number,
): { index: BlockHandle; filter: BlockHandle } | undefined {
  const w = new Walker(list, start, end, 'footer');
  const indexOffset = w.u32('block-offset', 'the index offset', (n) => `index block offset: byte ${n}`);
  const indexLength = w.u32('block-length', 'the index length', (n) => `index block length: ${plural(n, 'byte')}`);
  const filterOffset = w.u32('block-offset', 'the filter offset', (n) => `filter block offset: byte ${n}`);
  const filterLength = w.u32('block-length', 'the filter length', (n) =>
    n === 0 ? 'filter block length: 0 (no bloom filter)' : `filter block length: ${plural(n, 'byte')}`,
  );
  w.u32('entry-count', 'the entry count', (n) => `entries in the table: ${n}`);
  w.u32('entry-count', 'the block count', (n) => `data blocks in the table: ${n}`);
  w.u32('byte-size', 'the data bytes', (n) => `data bytes (block bodies before compression): ${n}`);
  w.u64('sequence', 'the smallest sequence number', (n) => `smallest sequence number in the table: ${n}`);
  w.u64('sequence', 'the largest sequence number', (n) => `largest sequence number in the table: ${n}`);
  describeKey(w, 'smallest key in the table', 'key');
  describeKey(w, 'largest key in the table', 'key');
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the largest key: the footer does not parse`);
  if (indexOffset === undefined || indexLength === undefined || filterOffset === undefined) return undefined;
  if (filterLength === undefined) return undefined;
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
  const typeProblem = type === BLOCK_RAW || type === BLOCK_DEFLATE ? undefined : 'unknown: 0 is raw, 1 is deflate';
  list.add(
    typeAt,
    typeAt + 1,
    'block-type',
    `block type of ${group}: ${type}, ${type === BLOCK_RAW ? 'stored as is' : type === BLOCK_DEFLATE ? 'deflate-compressed' : typeProblem}`,
    group,
    typeProblem ? { problem: typeProblem } : undefined,
  );
  const problem = valid ? undefined : 'does not match: a reader refuses this block';
  list.add(
    typeAt + 1,
    typeAt + BLOCK_FRAME_SIZE,
    'checksum',
    `checksum (CRC32C) of ${group}: ${hex32(stored)}, ${problem ?? 'matches its body and type'}`,
    group,
    problem ? { problem } : undefined,
  );
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
    const offset = w.u32(
      'block-offset',
      `the offset of data block ${i}`,
      (n) => `offset of data block ${i}: byte ${n}`,
    );
    const length = w.u32(
      'block-length',
      `the length of data block ${i}`,
      (n) => `length of data block ${i}: ${plural(n, 'byte')} (framed, as stored)`,
    );
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
  let set = 0;
  for (let i = start; i < end - 1; i++) {
    for (let byte = list.bytes[i]!; byte !== 0; byte &= byte - 1) set++;
  }
  const bits = (end - 1 - start) * 8;
  list.add(
    start,
    end - 1,
    'bloom-bits',
    `bloom filter bit array: ${bits} bits, ${set} set (bit i is byte i >> 3, mask 1 << (i & 7))`,
    group,
  );
  const k = list.bytes[end - 1]!;
  list.add(end - 1, end, 'bloom-k', `bloom probes per key (k): ${k}`, group);
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
  list.add(end - 4, end, 'entry-count', `entries in ${group}: ${count}`, group);
  return [];
}

function describeCompressedBody(list: FieldList, start: number, end: number, group: string): void {
  let inflated = '';
  try {
    const body = inflateSync(list.bytes.subarray(start, end));
    const count = body.length >= 4 ? new DataView(body.buffer, body.byteOffset).getUint32(body.length - 4, true) : 0;
    inflated = `; inflates to ${plural(body.length, 'byte')} holding ${plural(count, 'entry', 'entries')}`;
  } catch {
    inflated = '; does not inflate';
  }
  list.add(
    start,
    end,
    'compressed',
    `compressed block body: ${plural(end - start, 'byte')} of deflate${inflated}`,
    group,
  );
}
