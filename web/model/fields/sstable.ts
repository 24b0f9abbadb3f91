// SSTables (engine/sstable/format.ts): data blocks | index block | filter block | footer | trailer. Read from the
// end, as the engine does: the trailer finds the footer, the footer the index and the filter, the index the blocks.

import { crc32c } from '@lsm-lab/engine';
import {
  BLOCK_DEFLATE,
  BLOCK_FRAME_SIZE,
  BLOCK_RAW,
  FOOTER_FIXED_SIZE,
  parseDataBlock,
  SSTABLE_MAGIC,
  SSTABLE_VERSION,
  SSTABLE_VERSION_FLAT,
  SSTABLE_VERSION_PREFIX,
  TRAILER_SIZE,
} from '@lsm-lab/engine/inspect';
import { inflateSync } from 'fflate';
import { describeEntry, describeKey, describeOp } from './entry';
import type { FieldList } from './field-list';
import { Walker } from './walker';
import { hex32, plural, shown } from './words';

interface BlockHandle {
  offset: number;
  length: number;
}

export function describeSstable(list: FieldList): void {
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
  const prefixed = list.u32(trailerAt + 8) === SSTABLE_VERSION_PREFIX;
  const dataBody = prefixed ? describePrefixDataBody : describeDataBody;
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
    else describeFramedBlock(list, block, `data block ${i}`, dataBody, prefixed);
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
  const known = version === SSTABLE_VERSION_FLAT || version === SSTABLE_VERSION_PREFIX;
  const versionProblem = known
    ? undefined
    : `this reader knows versions ${SSTABLE_VERSION_FLAT} and ${SSTABLE_VERSION}`;
  const meaning =
    version === SSTABLE_VERSION_PREFIX
      ? ' (prefix-compressed data blocks with restart points)'
      : version === SSTABLE_VERSION_FLAT
        ? ' (data blocks of whole entries)'
        : '';
  list.add(at + 8, at + 12, 'version', `format version: ${version}${meaning}`, group, { problem: versionProblem });
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
function describeFramedBlock(
  list: FieldList,
  block: BlockHandle,
  group: string,
  body: BodyParser,
  prefixed = false,
): BlockHandle[] {
  const typeAt = block.offset + block.length - BLOCK_FRAME_SIZE;
  const type = list.bytes[typeAt]!;
  const stored = list.u32(typeAt + 1);
  const valid = crc32c(list.bytes.subarray(block.offset, typeAt + 1)) === stored;
  let found: BlockHandle[] = [];
  if (type === BLOCK_RAW) found = body(list, block.offset, typeAt, group);
  else if (type === BLOCK_DEFLATE) describeCompressedBody(list, block.offset, typeAt, group, prefixed);
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

/**
 * Version 2 data block body (engine/sstable/prefix-block.ts): entries whose keys store only the bytes they do not
 * share with the key before (whole at each restart point), then each restart point's offset u32, then their count.
 * Each key is rebuilt from the one before, as a reader does, so that its label gives it whole.
 */
function describePrefixDataBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  const restartCount = end - start >= 4 ? list.u32(end - 4) : 0;
  const arrayAt = end - 4 - 4 * restartCount;
  if (end - start < 4 || restartCount === 0 || arrayAt < start) {
    list.add(start, end, 'unparsed', `${group} body: no restart array of ${restartCount} points fits in it`, group);
    return [];
  }
  const restartAt = new Map<number, number>();
  for (let r = 0; r < restartCount; r++) restartAt.set(list.u32(arrayAt + 4 * r), r);
  const entryStarts = new Set<number>();
  const w = new Walker(list, start, arrayAt, group);
  let previous = new Uint8Array(0);
  for (let i = 0; !w.stopped && w.left > 0; i++) {
    const offset = w.at - start;
    entryStarts.add(offset);
    const restart = restartAt.get(offset);
    const where = restart === undefined ? `entry ${i}` : `entry ${i} (restart point ${restart})`;
    const shared = w.varint(
      'shared-length',
      (n) =>
        `key bytes of ${where} shared with the key before: ${n}${restart === undefined ? '' : ' (a restart point stores its key whole)'}`,
      (n) =>
        restart !== undefined && n !== 0
          ? 'a restart point must share nothing'
          : n > previous.length
            ? `more than the ${previous.length} bytes of the key before`
            : undefined,
    );
    const unshared = w.varint('unshared-length', (n) => `key bytes of ${where} stored here: ${plural(n, 'byte')}`);
    const valueLength = w.varint('value-length', (n) => `value length of ${where}: ${plural(n, 'byte')}`);
    if (shared === undefined || unshared === undefined || valueLength === undefined) break;
    describeOp(w, where);
    w.u64('sequence', (seq) => `sequence number of ${where}: ${seq}`);
    const suffixAt = w.at;
    const key = new Uint8Array(Math.min(shared, previous.length) + unshared);
    key.set(previous.subarray(0, shared));
    key.set(list.bytes.subarray(suffixAt, Math.min(suffixAt + unshared, arrayAt)), Math.min(shared, previous.length));
    if (shared === 0) w.bytes(unshared, 'key', (whole) => `key of ${where}, stored whole: ${whole}`, true);
    else {
      const before = previous.subarray(0, shared);
      w.bytes(
        unshared,
        'key-suffix',
        () => `key of ${where}: ${shown(key)}, its first ${shared} bytes (${shown(before)}) from the key before`,
        false,
        key,
      );
    }
    w.bytes(valueLength, 'value', (value) => `value of ${where}: ${value}`);
    previous = key;
  }
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the last entry`);
  for (let r = 0; r < restartCount; r++) {
    const offset = list.u32(arrayAt + 4 * r);
    const problem = entryStarts.has(offset) ? undefined : 'no entry starts there';
    const label = `restart point ${r}: the entry at byte ${offset} of ${group}'s body stores its key whole`;
    list.add(arrayAt + 4 * r, arrayAt + 4 * r + 4, 'restart-offset', label, group, { problem });
  }
  const count = `restart points in ${group}: ${restartCount} (a read binary-searches their keys, then scans one run)`;
  list.add(end - 4, end, 'restart-count', count, group);
  return [];
}

/** Not decompressed byte by byte (its entries have no place in the file), only counted. */
function describeCompressedBody(list: FieldList, start: number, end: number, group: string, prefixed: boolean): void {
  const label = () => {
    const stored = `compressed block body: ${plural(end - start, 'byte')} of deflate`;
    try {
      const body = inflateSync(list.bytes.subarray(start, end));
      const count = body.length >= 4 ? new DataView(body.buffer, body.byteOffset).getUint32(body.length - 4, true) : 0;
      if (prefixed) {
        // The trailing count is the restart points'; the entries are counted by parsing, as a reader does.
        const layout = { format: SSTABLE_VERSION_PREFIX, raw: false };
        const entries = parseDataBlock(body, group, start, undefined, layout).count;
        const holding = `${plural(entries, 'entry', 'entries')} and ${plural(count, 'restart point')}`;
        return `${stored}; inflates to ${plural(body.length, 'byte')} holding ${holding}`;
      }
      return `${stored}; inflates to ${plural(body.length, 'byte')} holding ${plural(count, 'entry', 'entries')}`;
    } catch {
      return `${stored}; does not inflate`;
    }
  };
  list.add(start, end, 'compressed', label, group);
}
