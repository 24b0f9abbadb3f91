// SSTables (engine/sstable/format.ts): data blocks | index block | filter block | footer | trailer. Read from the
// end, as the engine does: the trailer finds the footer, the footer the index and the filter, the index the blocks.

import '../../i18n/fields';
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
import { t } from '../../i18n';
import { describeEntry, describeKey, describeOp } from './entry';
import type { FieldList } from './field-list';
import { Walker } from './walker';
import { bytes, hex32, shown } from './words';

interface BlockHandle {
  offset: number;
  length: number;
}

export function describeSstable(list: FieldList): void {
  const size = list.bytes.length;
  if (size < TRAILER_SIZE) {
    list.add(0, size, 'unparsed', t('fields:sstable.tooShort', { bytes: bytes(size) }), t('fields:sstable.group.file'));
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
    taken.every((other) => block.offset + block.length <= other.offset || block.offset >= other.offset + other.length);
  const { index, filter } = footer;
  const prefixed = list.u32(trailerAt + 8) === SSTABLE_VERSION_PREFIX;
  const dataBody = prefixed ? describePrefixDataBody : describeDataBody;
  let handles: BlockHandle[] = [];
  if (free(index)) {
    taken.push(index);
    handles = describeFramedBlock(list, index, t('fields:sstable.group.index'), describeIndexBody);
  }
  if (filter.length > 0 && free(filter)) {
    taken.push(filter);
    describeFramedBlock(list, filter, t('fields:sstable.group.filter'), describeFilterBody);
  }
  handles.forEach((block, i) => {
    if (!free(block)) return;
    taken.push(block);
    if (list.skippable(block.offset, block.offset + block.length))
      list.cover(block.offset, block.offset + block.length);
    else describeFramedBlock(list, block, t('fields:sstable.group.data', { i }), dataBody, prefixed);
  });
}

function describeTrailer(
  list: FieldList,
  at: number,
  footerFits: boolean,
  footerValid: boolean,
  magicValid: boolean,
): void {
  const group = t('fields:sstable.group.trailer');
  const value = hex32(list.u32(at));
  const checksum = footerValid
    ? t('fields:sstable.trailer.checksumMatches', { value })
    : t('fields:sstable.trailer.checksum', { value });
  const checksumProblem = footerFits && !footerValid ? t('fields:sstable.trailer.checksumProblem') : undefined;
  list.add(at, at + 4, 'checksum', checksum, group, { problem: checksumProblem });
  const lengthProblem = footerFits ? undefined : t('fields:sstable.trailer.lengthProblem');
  const length = t('fields:sstable.trailer.length', { bytes: bytes(list.u32(at + 4)) });
  list.add(at + 4, at + 8, 'length', length, group, { problem: lengthProblem });
  const version = list.u32(at + 8);
  const known = version === SSTABLE_VERSION_FLAT || version === SSTABLE_VERSION_PREFIX;
  const versionProblem = known
    ? undefined
    : t('fields:sstable.trailer.versionProblem', { flat: SSTABLE_VERSION_FLAT, latest: SSTABLE_VERSION });
  const label =
    version === SSTABLE_VERSION_PREFIX
      ? t('fields:sstable.trailer.versionPrefix', { version })
      : version === SSTABLE_VERSION_FLAT
        ? t('fields:sstable.trailer.versionFlat', { version })
        : t('fields:sstable.trailer.version', { version });
  list.add(at + 8, at + 12, 'version', label, group, { problem: versionProblem });
  const magic = magicValid ? t('fields:sstable.trailer.magic') : t('fields:sstable.trailer.magicBad');
  const magicProblem = magicValid ? undefined : t('fields:sstable.trailer.magicProblem');
  list.add(at + 12, at + 16, 'trailer-magic', magic, group, { problem: magicProblem });
}

function describeFooter(
  list: FieldList,
  start: number,
  end: number,
): { index: BlockHandle; filter: BlockHandle } | undefined {
  const w = new Walker(list, start, end, t('fields:sstable.group.footer'));
  const indexOffset = w.u32('block-offset', (n) => t('fields:sstable.footer.indexOffset', { n }));
  const indexLength = w.u32('block-length', (n) => t('fields:sstable.footer.indexLength', { bytes: bytes(n) }));
  const filterOffset = w.u32('block-offset', (n) => t('fields:sstable.footer.filterOffset', { n }));
  const filterLength = w.u32('block-length', (n) =>
    n === 0 ? t('fields:sstable.footer.filterNone') : t('fields:sstable.footer.filterLength', { bytes: bytes(n) }),
  );
  w.u32('entry-count', (n) => t('fields:sstable.footer.entries', { n }));
  w.u32('entry-count', (n) => t('fields:sstable.footer.blocks', { n }));
  w.u32('byte-size', (n) => t('fields:sstable.footer.dataBytes', { n }));
  w.u64('sequence', (n) => t('fields:sstable.footer.smallestSequence', { n: String(n) }));
  w.u64('sequence', (n) => t('fields:sstable.footer.largestSequence', { n: String(n) }));
  describeKey(w, t('fields:sstable.footer.smallestKey'), 'key');
  describeKey(w, t('fields:sstable.footer.largestKey'), 'key');
  if (w.left > 0) w.stop(t('fields:sstable.footer.trailing', { bytes: bytes(w.left) }));
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
  else list.add(block.offset, typeAt, 'unparsed', t('fields:sstable.block.unknownBody', { group, type }), group);
  const typeLabel =
    type === BLOCK_RAW
      ? t('fields:sstable.block.typeRaw', { group, type })
      : type === BLOCK_DEFLATE
        ? t('fields:sstable.block.typeDeflate', { group, type })
        : t('fields:sstable.block.typeUnknown', { group, type });
  const typeProblem = type === BLOCK_RAW || type === BLOCK_DEFLATE ? undefined : t('fields:sstable.block.typeProblem');
  list.add(typeAt, typeAt + 1, 'block-type', typeLabel, group, { problem: typeProblem });
  const value = hex32(stored);
  const checksum = valid
    ? t('fields:sstable.block.checksumMatches', { group, value })
    : t('fields:sstable.block.checksum', { group, value });
  const problem = valid ? undefined : t('fields:sstable.block.checksumProblem');
  list.add(typeAt + 1, typeAt + BLOCK_FRAME_SIZE, 'checksum', checksum, group, { problem });
  return found;
}

/** Index block body: (first key length u32 | first key | block offset u32 | block length u32)* | count u32. */
function describeIndexBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  const handles: BlockHandle[] = [];
  if (end - start < 4) {
    list.add(start, end, 'unparsed', t('fields:sstable.index.tooShort', { group }), group);
    return handles;
  }
  const count = list.u32(end - 4);
  const w = new Walker(list, start, end - 4, group);
  for (let i = 0; i < count && !w.stopped && w.left > 0; i++) {
    describeKey(w, t('fields:sstable.index.firstKey', { i }), 'index-key');
    const offset = w.u32('block-offset', (n) => t('fields:sstable.index.offset', { i, n }));
    const length = w.u32('block-length', (n) => t('fields:sstable.index.length', { i, bytes: bytes(n) }));
    if (offset !== undefined && length !== undefined) handles.push({ offset, length });
  }
  if (w.left > 0) w.stop(t('fields:sstable.index.trailing', { bytes: bytes(w.left) }));
  list.add(end - 4, end, 'entry-count', t('fields:sstable.index.count', { n: count }), group);
  return handles;
}

/** Filter block body: the bloom filter's bit array, then k u8. */
function describeFilterBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  if (end - start < 2) {
    list.add(start, end, 'unparsed', t('fields:sstable.filter.tooShort', { group }), group);
    return [];
  }
  const bits = () => {
    let set = 0;
    for (let i = start; i < end - 1; i++) {
      for (let byte = list.bytes[i]!; byte !== 0; byte &= byte - 1) set++;
    }
    const total = (end - 1 - start) * 8;
    return t('fields:sstable.filter.bits', { total, set });
  };
  list.add(start, end - 1, 'bloom-bits', bits, group);
  list.add(end - 1, end, 'bloom-k', t('fields:sstable.filter.k', { k: list.bytes[end - 1] }), group);
  return [];
}

/** Data block body: entries in key order, then entry count u32. */
function describeDataBody(list: FieldList, start: number, end: number, group: string): BlockHandle[] {
  if (end - start < 4) {
    list.add(start, end, 'unparsed', t('fields:sstable.data.tooShort', { group }), group);
    return [];
  }
  const count = list.u32(end - 4);
  const w = new Walker(list, start, end - 4, group);
  for (let i = 0; i < count && !w.stopped && w.left > 0; i++) describeEntry(w, t('fields:sstable.data.entry', { i }));
  if (w.left > 0) w.stop(t('fields:sstable.data.trailing', { bytes: bytes(w.left) }));
  list.add(end - 4, end, 'entry-count', () => t('fields:sstable.data.count', { group, n: count }), group);
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
    list.add(start, end, 'unparsed', t('fields:sstable.prefix.noRestarts', { group, n: restartCount }), group);
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
    const where =
      restart === undefined
        ? t('fields:sstable.data.entry', { i })
        : t('fields:sstable.prefix.entryRestart', { i, restart });
    const shared = w.varint(
      'shared-length',
      (n) =>
        restart === undefined
          ? t('fields:sstable.prefix.shared', { where, n })
          : t('fields:sstable.prefix.sharedRestart', { where, n }),
      (n) =>
        restart !== undefined && n !== 0
          ? t('fields:sstable.prefix.restartShares')
          : n > previous.length
            ? t('fields:sstable.prefix.sharesTooMany', { n: previous.length })
            : undefined,
    );
    const unshared = w.varint('unshared-length', (n) =>
      t('fields:sstable.prefix.unshared', { where, bytes: bytes(n) }),
    );
    const valueLength = w.varint('value-length', (n) => t('fields:entry.valueLength', { where, bytes: bytes(n) }));
    if (shared === undefined || unshared === undefined || valueLength === undefined) break;
    describeOp(w, where);
    w.u64('sequence', (seq) => t('fields:entry.sequence', { where, seq: String(seq) }));
    const suffixAt = w.at;
    const key = new Uint8Array(Math.min(shared, previous.length) + unshared);
    key.set(previous.subarray(0, shared));
    key.set(list.bytes.subarray(suffixAt, Math.min(suffixAt + unshared, arrayAt)), Math.min(shared, previous.length));
    if (shared === 0)
      w.bytes(unshared, 'key', (whole) => t('fields:sstable.prefix.keyWhole', { where, key: whole }), true);
    else {
      const before = previous.subarray(0, shared);
      w.bytes(
        unshared,
        'key-suffix',
        () => t('fields:sstable.prefix.keySuffix', { where, key: shown(key), shared, before: shown(before) }),
        false,
        key,
      );
    }
    w.bytes(valueLength, 'value', (value) => t('fields:entry.value', { where, value }));
    previous = key;
  }
  if (w.left > 0) w.stop(t('fields:sstable.data.trailing', { bytes: bytes(w.left) }));
  for (let r = 0; r < restartCount; r++) {
    const offset = list.u32(arrayAt + 4 * r);
    const problem = entryStarts.has(offset) ? undefined : t('fields:sstable.prefix.restartProblem');
    const label = t('fields:sstable.prefix.restart', { r, offset, group });
    list.add(arrayAt + 4 * r, arrayAt + 4 * r + 4, 'restart-offset', label, group, { problem });
  }
  const count = t('fields:sstable.prefix.restartCount', { group, n: restartCount });
  list.add(end - 4, end, 'restart-count', count, group);
  return [];
}

/** Not decompressed byte by byte (its entries have no place in the file), only counted. */
function describeCompressedBody(list: FieldList, start: number, end: number, group: string, prefixed: boolean): void {
  const label = () => {
    const stored = t('fields:sstable.compressed.stored', { bytes: bytes(end - start) });
    try {
      const body = inflateSync(list.bytes.subarray(start, end));
      const count = body.length >= 4 ? new DataView(body.buffer, body.byteOffset).getUint32(body.length - 4, true) : 0;
      if (prefixed) {
        // The trailing count is the restart points'; the entries are counted by parsing, as a reader does.
        const layout = { format: SSTABLE_VERSION_PREFIX, raw: false };
        const entries = parseDataBlock(body, group, start, undefined, layout).count;
        return t('fields:sstable.compressed.inflatesPrefix', {
          stored,
          bytes: bytes(body.length),
          entries: t('fields:sstable.compressed.entries', { count: entries }),
          restarts: t('fields:sstable.compressed.restarts', { count }),
        });
      }
      const entries = t('fields:sstable.compressed.entries', { count });
      return t('fields:sstable.compressed.inflates', { stored, bytes: bytes(body.length), entries });
    } catch {
      return t('fields:sstable.compressed.noInflate', { stored });
    }
  };
  list.add(start, end, 'compressed', label, group);
}
