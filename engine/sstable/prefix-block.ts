// Prefix-compressed data blocks (SSTable format version 2), as LevelDB's table/block_builder.cc and block.cc and
// mini-lsm's week 1 day 7 make them. Keys sorted in a block share their start ("user:000041", "user:000042"), so
// an entry stores only how many bytes its key shares with the key before it and the bytes after those. Every
// `restartInterval` entries a key is stored whole (a restart point) and its offset goes into the restart array at
// the block's end: a read binary-searches the restart points, whose keys can be read without any entry before
// them, then scans one run of entries, rebuilding each key from the one before. Byte layout: engine/README.md
// ("SSTable", data block, version 2):
//
//   entry:  shared varint32 | unshared varint32 | value_length varint32 | op u8 | sequence u64 |
//           key bytes after the shared ones (unshared of them) | value
//   block:  entry* | restart_offset u32 × restart_count | restart_count u32
//
// op and sequence are the flat entry's (codec/entry.ts): op 1 put, 2 delete; sequence u64 little endian.
import { toHex } from '../bytes';
import { type Entry, OP_DELETE, OP_PUT } from '../codec/entry';
import { putU32, u32 } from '../codec/u32';
import { putVarint32, readVarint32, varint32Size } from '../codec/varint';
import { corruption } from '../errors';
import type { BlockSearch } from '../events';
import { copyValue } from '../value-copy';
import type { DataBlock } from './data-block';

/** op u8 + sequence u64: the fields an entry keeps as the flat format has them. */
const FIXED_FIELDS = 9;
/** The smallest entry: three one-byte varints and the fixed fields. */
const SMALLEST_ENTRY = 3 + FIXED_FIELDS;
/** Numbers kept per entry by a parsed block (see PrefixDataBlock's #meta). */
const STRIDE = 4;
/** Up to this many bytes, a copy in JavaScript beats `out.set(source.subarray(...))` (see copyBytes). */
const SHORT_COPY = 256;

/** How many bytes two keys share at their start. */
export function sharedPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** How many bytes a[0, aLength) and b[0, bLength) share at their start. */
export function sharedPrefixOf(a: Uint8Array, aLength: number, b: Uint8Array, bLength: number): number {
  const n = aLength < bLength ? aLength : bLength;
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * memcmp of a[0, aLength) with b[0, bLength): negative, zero or positive. `from`: the bytes before it are known to
 * be equal (both keys start with the same `from` bytes), and are not compared again.
 */
export function compareRange(a: Uint8Array, aLength: number, b: Uint8Array, bLength: number, from = 0): number {
  const n = aLength < bLength ? aLength : bLength;
  for (let i = from; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** The encoded size of an entry whose key shares `shared` of its bytes with the key before it. */
export function prefixEntrySize(keyLength: number, shared: number, valueLength: number): number {
  const unshared = keyLength - shared;
  return (
    varint32Size(shared) + varint32Size(unshared) + varint32Size(valueLength) + FIXED_FIELDS + unshared + valueLength
  );
}

/** Writes the entry into `out` at `at`, its key's first `shared` bytes left out; returns the offset past it. */
export function encodePrefixEntry(entry: Entry, shared: number, out: Uint8Array, at: number): number {
  const unshared = entry.key.length - shared;
  let p = putVarint32(out, at, shared);
  p = putVarint32(out, p, unshared);
  p = putVarint32(out, p, entry.value.length);
  out[p] = entry.op === 'put' ? OP_PUT : OP_DELETE;
  putU32(out, p + 1, entry.seq >>> 0);
  putU32(out, p + 5, Math.floor(entry.seq / 2 ** 32));
  p += FIXED_FIELDS;
  p = copyBytes(entry.key, shared, entry.key.length, out, p);
  return copyBytes(entry.value, 0, entry.value.length, out, p);
}

/**
 * encodePrefixEntry from the entry's parts where they lie (SstableBuilder.addVersion): key[0, keyLength), `op`
 * OP_PUT or OP_DELETE, the value values[valueAt, valueAt + valueLength). Same bytes.
 */
export function encodePrefixParts(
  key: Uint8Array,
  keyLength: number,
  shared: number,
  seq: number,
  op: number,
  values: Uint8Array,
  valueAt: number,
  valueLength: number,
  out: Uint8Array,
  at: number,
  valuesView?: DataView,
  outView?: DataView,
): number {
  let p = putVarint32(out, at, shared);
  p = putVarint32(out, p, keyLength - shared);
  p = putVarint32(out, p, valueLength);
  out[p] = op;
  putU32(out, p + 1, seq >>> 0);
  putU32(out, p + 5, Math.floor(seq / 2 ** 32));
  p += FIXED_FIELDS;
  p = copyBytes(key, shared, keyLength, out, p);
  if (valuesView && outView && valueLength <= SHORT_COPY) {
    return copyWords(valuesView, valueAt, valueAt + valueLength, outView, p);
  }
  return copyBytes(values, valueAt, valueAt + valueLength, out, p);
}

/**
 * Copies bytes [from, to) of `source` into `out` at `at`; returns the offset past them. A short copy goes byte by
 * byte: `out.set(source.subarray(...))` allocates a view and calls into the runtime, which for a 16-byte key or a
 * 100-byte value costs several times the copy itself (it was a third of a compaction's time).
 */
export function copyBytes(source: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  if (to - from > SHORT_COPY) {
    out.set(source.subarray(from, to), at);
    return at + to - from;
  }
  for (let i = from; i < to; i++) out[at++] = source[i]!;
  return at;
}

/**
 * copyBytes for a short copy between two DataViews (of the arrays the offsets are in): eight bytes a step, then
 * the last few one by one. A typed array's byte loop checks bounds and stores a byte at a time, about 1.3 ns a
 * byte in V8. DataView's loads and stores compile to plain unaligned moves, and V8's optimizing compiler keeps a
 * getBigUint64 handed straight to setBigUint64 in a register, with no BigInt made: a 100-byte value copies in
 * under a third of the time four bytes a step took (~55 ns, not ~185, in Node; compaction copies every surviving
 * value this way). A 64-bit integer, not a float64: a float's load and store may rewrite a NaN's bits.
 */
export function copyWords(source: DataView, from: number, to: number, out: DataView, at: number): number {
  const longs = to - 7;
  let i = from;
  for (; i < longs; i += 8, at += 8) out.setBigUint64(at, source.getBigUint64(i, true), true);
  if (i < to - 3) {
    out.setUint32(at, source.getUint32(i, true), true);
    i += 4;
    at += 4;
  }
  for (; i < to; i++, at++) out.setUint8(at, source.getUint8(i));
  return at;
}

/** The restart array's size: one u32 per restart point, then their count. */
export function restartArraySize(restarts: number): number {
  return 4 * restarts + 4;
}

/** Writes the restart array (each restart point's offset in the block, then their count); returns the end. */
export function encodeRestarts(restarts: readonly number[], out: Uint8Array, at: number): number {
  for (const offset of restarts) {
    putU32(out, at, offset);
    at += 4;
  }
  putU32(out, at, restarts.length);
  return at + 4;
}

/**
 * A verified prefix-compressed block. Parsing checks every entry once and keeps four numbers per entry; keys
 * are rebuilt only when asked for (a point read compares a run's keys without rebuilding them: #lowerBound).
 */
export class PrefixDataBlock implements DataBlock {
  readonly #body: Uint8Array;
  /**
   * For entry i, at i × 4: where its op byte lies in the body, the bytes its key shares with the key before, its
   * key's whole length, its value's length. (A typed array: 4 bytes a number, the block cache charged for each.)
   */
  readonly #meta: Uint32Array;
  /** The entry at each restart point, in order. */
  readonly #restarts: number[];
  readonly count: number;
  readonly storage: Uint8Array | undefined;
  /** Set by #lowerBound: whether the entry it returned holds exactly the key it was given. */
  #equal = false;

  constructor(body: Uint8Array, meta: Uint32Array, count: number, restarts: number[], storage?: Uint8Array) {
    this.#body = body;
    this.#meta = meta;
    this.#restarts = restarts;
    this.count = count;
    this.storage = storage;
  }

  /** The block's entries as parsed (compaction's merge reads them in place): see #meta. */
  get body(): Uint8Array {
    return this.#body;
  }

  /** For entry i, at i × 4: its op byte's offset in `body`, shared key bytes, key length, value length. */
  get meta(): Uint32Array {
    return this.#meta;
  }

  get memoryBytes(): number {
    return (this.storage ?? this.#body).byteLength + 4 * STRIDE * this.count + 8 * this.#restarts.length + 64;
  }

  /** The entry number of each restart point. */
  get restartEntries(): readonly number[] {
    return this.#restarts;
  }

  seek(key: Uint8Array): number {
    return this.#lowerBound(key, undefined);
  }

  /**
   * The first entry whose key is >= key is the key's newest version when the key is there (versions follow each
   * other newest first): found by the restart-point search and the scan of one run.
   */
  find(key: Uint8Array, search?: BlockSearch): number {
    const at = this.#lowerBound(key, search);
    return this.#equal ? at : -1;
  }

  seqAt(i: number): number {
    const at = this.#meta[i * STRIDE]! + 1;
    return u32(this.#body, at) + u32(this.#body, at + 4) * 0x1_0000_0000;
  }

  /**
   * Every entry after i up to j keeps i's whole key as its shared prefix and adds nothing to it; or, at a restart
   * point, stores the same key whole (a restart point shares nothing, even with a version of its own key).
   */
  sameKey(i: number, j: number): boolean {
    const meta = this.#meta;
    const length = meta[i * STRIDE + 2]!;
    let whole: Uint8Array | undefined;
    for (let k = i + 1; k <= j; k++) {
      if (meta[k * STRIDE + 2] !== length) return false;
      const shared = meta[k * STRIDE + 1]!;
      if (shared >= length) continue;
      if (shared !== 0) return false;
      whole ??= this.key(i);
      if (compareWith(this.#body, meta[k * STRIDE]! + FIXED_FIELDS, length, whole) !== 0) return false;
    }
    return true;
  }

  isTombstone(i: number): boolean {
    return this.#body[this.#meta[i * STRIDE]!] === OP_DELETE;
  }

  valueCopy(i: number): Uint8Array {
    const at = this.#valueAt(i);
    return copyValue(this.#body, at, at + this.#meta[i * STRIDE + 3]!);
  }

  entry(i: number): Entry {
    const opAt = this.#meta[i * STRIDE]!;
    const valueAt = this.#valueAt(i);
    return {
      op: this.#body[opAt] === OP_PUT ? 'put' : 'delete',
      seq: this.seqAt(i),
      key: this.key(i),
      value: this.#body.subarray(valueAt, valueAt + this.#meta[i * STRIDE + 3]!),
    };
  }

  /**
   * Entry i with its key rebuilt from the key before it (a scan's or compaction's way through a block): its
   * shared bytes from `previous`, the rest from the entry. At a restart point, or without `previous`, as entry().
   */
  entryAfter(i: number, previous: Uint8Array | undefined): Entry {
    const meta = this.#meta;
    const shared = meta[i * STRIDE + 1]!;
    if (previous === undefined || shared > previous.length) return this.entry(i);
    const body = this.#body;
    const opAt = meta[i * STRIDE]!;
    const length = meta[i * STRIDE + 2]!;
    const key = new Uint8Array(length);
    for (let k = 0; k < shared; k++) key[k] = previous[k]!;
    const suffixAt = opAt + FIXED_FIELDS - shared;
    for (let k = shared; k < length; k++) key[k] = body[suffixAt + k]!;
    const valueAt = opAt + FIXED_FIELDS + length - shared;
    return {
      op: body[opAt] === OP_PUT ? 'put' : 'delete',
      seq: u32(body, opAt + 1) + u32(body, opAt + 5) * 0x1_0000_0000,
      key,
      value: body.subarray(valueAt, valueAt + meta[i * STRIDE + 3]!),
    };
  }

  /**
   * Entry i's key, rebuilt into a buffer of its own. Walking back from i to its run's restart point, each entry
   * supplies the bytes of the key from its shared length up to what is still missing: the tail first, the start
   * last (a restart point's key is whole, so the walk ends there at the latest).
   */
  key(i: number): Uint8Array {
    const meta = this.#meta;
    const out = new Uint8Array(meta[i * STRIDE + 2]!);
    let missing = out.length; // bytes [0, missing) are not filled in yet
    for (let j = i; missing > 0; j--) {
      const shared = meta[j * STRIDE + 1]!;
      if (shared < missing) {
        const suffixAt = meta[j * STRIDE]! + FIXED_FIELDS - shared;
        for (let k = shared; k < missing; k++) out[k] = this.#body[suffixAt + k]!;
        missing = shared;
      }
    }
    return out;
  }

  #valueAt(i: number): number {
    const meta = this.#meta;
    return meta[i * STRIDE]! + FIXED_FIELDS + meta[i * STRIDE + 2]! - meta[i * STRIDE + 1]!;
  }

  /**
   * The first entry whose key is >= key (count when there is none), as LevelDB's Block::Iter::Seek: a binary search
   * for the last restart point whose key is < key (restart 0 when there is none), then a scan of that run until a
   * key >= key or the next restart point. Each entry is compared once: the restart points at either end of the run
   * were compared by the binary search (but restart 0, which it never compares). Sets #equal. A traced read's
   * `search` gets every comparison (restart probes marked with their restart point) and what was probed and scanned.
   *
   * The scan does not rebuild the run's keys (LevelDB's does, each from the one before, and compares it whole): it
   * keeps `matched`, how many first bytes the key before shares with key (that key being below key). An entry
   * sharing more bytes than that with the key before agrees with key as far as the key before did, and differs
   * from it where the key before did, the same way: it is below key too, without a look at its bytes. Otherwise
   * its first `shared` bytes are key's, and only its own bytes are compared, from there on.
   */
  #lowerBound(key: Uint8Array, search: BlockSearch | undefined): number {
    const restarts = this.#restarts;
    const meta = this.#meta;
    const body = this.#body;
    const probed: number[] | undefined = search ? [] : undefined;
    let low = 0;
    let high = restarts.length - 1;
    // How restart point high + 1 compared, once one was found >= key: the binary search always compares the
    // restart point just past the one it settles on, so the scan of a run never needs to compare it again.
    let aboveOrder = 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      const entry = restarts[mid]!;
      const keyAt = meta[entry * STRIDE]! + FIXED_FIELDS;
      const length = meta[entry * STRIDE + 2]!;
      const order = compareWith(body, keyAt, length, key);
      if (search && probed) {
        probed.push(mid);
        const seen = toHex(body.subarray(keyAt, keyAt + length));
        search.compared.push({ entry, key: seen, order: sign(order), restart: mid });
      }
      if (order < 0) low = mid;
      else {
        high = mid - 1;
        aboveOrder = order;
      }
    }
    const from = restarts[low]!;
    const next = low + 1 < restarts.length ? restarts[low + 1]! : this.count;
    const wanted = key.length;
    let matched = 0;
    let i = from;
    this.#equal = false;
    for (; i < this.count; i++) {
      if (i === next) {
        // The next restart point: the binary search found its key >= key, so the search stops here.
        this.#equal = aboveOrder === 0;
        break;
      }
      const shared = meta[i * STRIDE + 1]!; // 0 at the run's restart point
      let order = -1;
      if (shared <= matched) {
        const length = meta[i * STRIDE + 2]!;
        // Byte k of this entry's key, for k >= shared, lies at suffixAt + k.
        const suffixAt = meta[i * STRIDE]! + FIXED_FIELDS - shared;
        const n = length < wanted ? length : wanted;
        let k = shared;
        while (k < n && body[suffixAt + k] === key[k]) k++;
        order = k < n ? body[suffixAt + k]! - key[k]! : length - wanted;
        matched = k;
      }
      // A restart point past the first was compared by the binary search already (its key is < key): not again.
      if (i === from && low > 0) continue;
      search?.compared.push({ entry: i, key: toHex(this.key(i)), order: sign(order), run: low });
      if (order >= 0) {
        this.#equal = order === 0;
        break;
      }
    }
    if (search && probed) {
      search.restarts = {
        points: restarts.slice(),
        probed,
        run: { restart: low, from, to: Math.min(i, this.count - 1) },
      };
    }
    return i;
  }
}

/** Where pointSearch found a version: its op byte (OP_PUT or OP_DELETE) and its value's bytes in the body. */
export interface PointHit {
  op: number;
  valueAt: number;
  valueLength: number;
}
/** pointSearch's one answer object, filled in by each search (a get reads it before the next one runs). */
const pointHit: PointHit = { op: 0, valueAt: 0, valueLength: 0 };

/**
 * The first restart point out of place in the restart array that starts at `end` (-1 when there is none): restart
 * 0 must hold offset 0, and each one after it a larger offset, still before the array. Both the parse and a get's
 * search check the whole array before they trust any point of it.
 */
function misplacedRestart(body: Uint8Array, end: number, restartCount: number): number {
  for (let r = 0, before = -1; r < restartCount; r++) {
    const offset = u32(body, end + 4 * r);
    if ((r === 0 && offset !== 0) || offset <= before || offset >= end) return r;
    before = offset;
  }
  return -1;
}

/**
 * A point read's search of a block it does not keep, over the bytes as they lie, as LevelDB's Block::Iter::Seek:
 * the restart array checked, a binary search of the restart points' keys, then a scan of one run, each entry's
 * fields decoded only as the scan reaches it. Parsing the whole block first (parsePrefixBlock: every entry's
 * numbers, an object and an array; ~1 µs for the bench's 36-entry blocks in Node) was work for every entry of the
 * block, for the one a get wanted.
 *
 * Finds key's newest version at or below `atSeq` (a version newer than a snapshot is passed over, as get's loop
 * over a parsed block does). Returns it, null when the block holds no such version, or undefined when the bytes
 * it reached do not parse: the caller then parses the whole block, which reports the damage with its file and
 * byte (the checksum matched, so only a writer's bug or crafted bytes get here). It checks every entry it reads
 * as the full parse does, and the whole restart array; it does not read the entries it skips.
 */
export function pointSearch(body: Uint8Array, key: Uint8Array, atSeq: number): PointHit | null | undefined {
  if (body.length < 4 + 4 + SMALLEST_ENTRY) return undefined;
  const countAt = body.length - 4;
  const restartCount = u32(body, countAt);
  if (restartCount === 0 || restartCount > countAt / (4 + SMALLEST_ENTRY)) return undefined;
  const end = countAt - 4 * restartCount;
  if (misplacedRestart(body, end, restartCount) >= 0) return undefined;
  // The last restart point whose key is < key (restart 0 when there is none).
  let low = 0;
  let high = restartCount - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    const opAt = entryAt(body, u32(body, end + 4 * mid), end);
    if (opAt < 0 || header.shared !== 0) return undefined; // a restart point's key shares nothing
    if (compareWith(body, opAt + FIXED_FIELDS, header.unshared, key) < 0) low = mid;
    else high = mid - 1;
  }
  // The scan of that run and on, as #lowerBound's: `matched` is how many first bytes the key before shares with key.
  const wanted = key.length;
  let matched = 0;
  let previousLength = 0;
  let nextRestart = low;
  for (let p = u32(body, end + 4 * low); p < end; ) {
    // A restart point the scan steps over, not onto, does not start an entry.
    const restartAt = nextRestart < restartCount ? u32(body, end + 4 * nextRestart) : end;
    if (restartAt < p) return undefined;
    const isRestart = restartAt === p;
    if (isRestart) nextRestart++;
    const opAt = entryAt(body, p, end);
    if (opAt < 0) return undefined;
    const { shared, unshared, valueLength } = header;
    if (shared > previousLength || (isRestart && shared !== 0)) return undefined;
    const length = shared + unshared;
    let order = -1;
    if (shared <= matched) {
      const suffixAt = opAt + FIXED_FIELDS - shared; // byte k of this key, for k >= shared, lies at suffixAt + k
      const n = length < wanted ? length : wanted;
      let k = shared;
      while (k < n && body[suffixAt + k] === key[k]) k++;
      order = k < n ? body[suffixAt + k]! - key[k]! : length - wanted;
      matched = k;
    }
    if (order > 0) return null;
    if (order === 0 && u32(body, opAt + 1) + u32(body, opAt + 5) * 0x1_0000_0000 <= atSeq) {
      pointHit.op = body[opAt]!;
      pointHit.valueAt = opAt + FIXED_FIELDS + unshared;
      pointHit.valueLength = valueLength;
      return pointHit;
    }
    previousLength = length;
    p = opAt + FIXED_FIELDS + unshared + valueLength;
  }
  return null;
}

/** memcmp of bytes[at, at + length) with key. */
function compareWith(bytes: Uint8Array, at: number, length: number, key: Uint8Array): number {
  const n = length < key.length ? length : key.length;
  for (let j = 0; j < n; j++) {
    const d = bytes[at + j]! - key[j]!;
    if (d !== 0) return d;
  }
  return length - key.length;
}

/** The three lengths of the entry entryAt last decoded (one object for every entry, none made per entry). */
const header = { shared: 0, unshared: 0, valueLength: 0 };

/**
 * Decodes the entry at `p`, up to `end`: its three varint32 lengths into `header`. Returns where its op byte lies,
 * or -1 when it does not parse: a length that does not decode, an op neither put nor delete, a tombstone with a
 * value, or an entry running past `end`. (Whether its shared bytes fit the key before is the caller's to check.)
 */
function entryAt(body: Uint8Array, p: number, end: number): number {
  const a = readVarint32(body, p, end);
  if (a < 0) return -1;
  const sharedAt = p + (a % 8);
  const b = readVarint32(body, sharedAt, end);
  if (b < 0) return -1;
  const unsharedAt = sharedAt + (b % 8);
  const c = readVarint32(body, unsharedAt, end);
  if (c < 0) return -1;
  const opAt = unsharedAt + (c % 8);
  const unshared = Math.floor(b / 8);
  const valueLength = Math.floor(c / 8);
  const op = body[opAt];
  if (opAt + FIXED_FIELDS + unshared + valueLength > end) return -1;
  if ((op !== OP_PUT && op !== OP_DELETE) || (op === OP_DELETE && valueLength !== 0)) return -1;
  header.shared = Math.floor(a / 8);
  header.unshared = unshared;
  header.valueLength = valueLength;
  return opAt;
}

function sign(order: number): -1 | 0 | 1 {
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

function malformed(name: string, at: number, entry: number) {
  return corruption(name, at, `entry ${entry} does not parse`);
}

/**
 * Where a block's per-entry numbers (PrefixDataBlock's #meta) are parsed, reused from block to block by a reader of
 * blocks that lets each go before it parses the next: a get's block that is not cached (a get runs start to end
 * without a pause), a scan's or a compaction input's walk over its table. A block parsed without one gets a typed
 * array of its own (the block cache keeps it): parsed in a shared one, then copied out at its exact size.
 */
export class MetaBuffer {
  meta = new Uint32Array(STRIDE * 64);
}
const copiedOut = new MetaBuffer();

/**
 * `body` is an unframed (verified, decompressed) version 2 data block; `at` is the block's offset in the file, and
 * `raw` says the body lies there as it is (not compressed), so that a malformed field is reported at its own byte.
 * Checks the restart array and every entry's shape: each restart offset must start an entry that shares nothing,
 * no entry may share more bytes than the key before it has. Malformed bytes are corruption, never a wrong key.
 * `into`: where to parse, for a block let go before the next one parsed into it is (see MetaBuffer).
 */
export function parsePrefixBlock(
  body: Uint8Array,
  name: string,
  at: number,
  raw: boolean,
  storage?: Uint8Array,
  into?: MetaBuffer,
): PrefixDataBlock {
  const where = (offset: number) => (raw ? at + offset : at);
  if (body.length < 4 + 4 + SMALLEST_ENTRY)
    throw corruption(name, at, 'data block is too short for an entry and its restart array');
  const countAt = body.length - 4;
  const restartCount = u32(body, countAt);
  // Each restart point takes 4 bytes in the array and starts an entry: a count beyond that is not an allocation.
  if (restartCount === 0 || restartCount > countAt / (4 + SMALLEST_ENTRY)) {
    throw corruption(name, where(countAt), `data block claims ${restartCount} restart points`);
  }
  const end = countAt - 4 * restartCount; // where the entries end and the restart array begins
  const restartAt = (r: number) => u32(body, end + 4 * r);
  const misplaced = misplacedRestart(body, end, restartCount);
  if (misplaced >= 0) {
    throw corruption(
      name,
      where(end + 4 * misplaced),
      `restart point ${misplaced} holds offset ${restartAt(misplaced)}, outside the entries or out of order`,
    );
  }
  const buffer = into ?? copiedOut;
  let meta = buffer.meta;
  const restarts: number[] = [];
  let r = 0;
  let previousLength = 0;
  let i = 0;
  for (let p = 0; p < end; i++) {
    if (r < restartCount && restartAt(r) < p) {
      throw corruption(name, where(end + 4 * r), `restart point ${r} (offset ${restartAt(r)}) does not start an entry`);
    }
    const isRestart = r < restartCount && restartAt(r) === p;
    const opAt = entryAt(body, p, end);
    if (opAt < 0) throw malformed(name, where(p), i);
    const { shared, unshared, valueLength } = header;
    const next = opAt + FIXED_FIELDS + unshared + valueLength;
    if (shared > previousLength) {
      throw corruption(name, where(p), `entry ${i} shares ${shared} bytes with a key of ${previousLength}`);
    }
    if (isRestart && shared !== 0) {
      throw corruption(
        name,
        where(p),
        `entry ${i} at restart point ${r} shares ${shared} bytes: its key must be whole`,
      );
    }
    const m = i * STRIDE;
    if (m + STRIDE > meta.length) {
      const grown = new Uint32Array(2 * meta.length);
      grown.set(meta);
      meta = grown;
      buffer.meta = grown;
    }
    meta[m] = opAt;
    meta[m + 1] = shared;
    meta[m + 2] = shared + unshared;
    meta[m + 3] = valueLength;
    if (isRestart) {
      restarts.push(i);
      r++;
    }
    previousLength = shared + unshared;
    p = next;
  }
  if (r < restartCount) {
    throw corruption(name, where(end + 4 * r), `restart point ${r} (offset ${restartAt(r)}) does not start an entry`);
  }
  return new PrefixDataBlock(body, into ? meta : meta.slice(0, i * STRIDE), i, restarts, storage);
}
