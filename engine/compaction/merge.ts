// Compaction's merge over parsed blocks (issue 24): the common compaction (no live snapshot, no compaction filter,
// inputs in format 2) merges its inputs without an Entry, a key or a value view per entry. Each input block is
// parsed once into flat numbers (prefix-block.ts: where each entry's op byte lies, its shared and whole key length,
// its value length); a cursor per input rebuilds its current key in a buffer of its own from the bytes it does not
// share with the key before; a loser tree picks the cursor whose entry comes next, comparing those buffers in place;
// and the survivors go to the output builder as (buffer, offset, length) parts (SstableBuilder.addVersion).
// It writes the same files, and emits the same events, as the merge an entry at a time (iterators.ts mergeAll,
// then snapshot.ts retain), which still runs when a snapshot or a filter needs a key's versions together.
import { entrySize, OP_DELETE, OP_PUT } from '../codec/entry';
import { u32 } from '../codec/u32';
import { SLICE } from '../commit';
import { corruption } from '../errors';
import { DROPPED_SHOWN } from '../snapshot';
import type { DataBlock } from '../sstable/block';
import type { SstableBuilder } from '../sstable/builder';
import { compareRange, PrefixDataBlock, sharedPrefixOf } from '../sstable/prefix-block';
import type { CompactionProgress, Trace } from '../trace';
import { sliceDue, yieldToEventLoop } from '../yield';
import type { OutputSplitter } from './splitter';

/** op u8 + sequence u64 lie between an entry's varints and its key bytes (prefix-block.ts). */
const FIXED_FIELDS = 9;

/**
 * One input table, read block by block (SstableReader.blocksFrom). Its current entry: the key in key[0,
 * keyLength), rebuilt from the key before (a block's first entry is a restart point, stored whole); the value in
 * body[valueAt, valueAt + valueLength), where it lies in the block read.
 */
export class TableCursor {
  readonly #blocks: Iterator<DataBlock>;
  readonly #file: string;
  #meta: Uint32Array = new Uint32Array(0);
  #i = 0;
  #count = 0;
  /** The current entry's block body, and a DataView of it (the builder copies values through it). */
  body: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  key = new Uint8Array(64);
  keyLength = 0;
  seq = 0;
  /** OP_PUT or OP_DELETE. */
  op = 0;
  valueAt = 0;
  valueLength = 0;
  /** No entry left. */
  done = false;

  constructor(blocks: Iterator<DataBlock>, file: string) {
    this.#blocks = blocks;
    this.#file = file;
  }

  /** Moves on to the next entry; false (and done) when there is none. */
  next(): boolean {
    while (this.#i >= this.#count) {
      const read = this.#blocks.next();
      if (read.done) {
        this.done = true;
        return false;
      }
      const block = read.value;
      if (!(block instanceof PrefixDataBlock)) throw corruption(this.#file, 0, 'not a prefix-compressed block');
      this.body = block.body;
      this.view = new DataView(block.body.buffer, block.body.byteOffset, block.body.byteLength);
      this.#meta = block.meta;
      this.#count = block.count;
      this.#i = 0;
    }
    const meta = this.#meta;
    const m = this.#i * 4;
    this.#i++;
    const opAt = meta[m]!;
    const shared = meta[m + 1]!;
    const length = meta[m + 2]!;
    let key = this.key;
    if (key.length < length) {
      const grown = new Uint8Array(Math.max(length, 2 * key.length));
      grown.set(key.subarray(0, shared));
      this.key = key = grown;
    }
    const body = this.body;
    // The key's bytes after those it shares with the key before: byte by byte (a subarray would be an object).
    for (let s = shared, b = opAt + FIXED_FIELDS; s < length; s++, b++) key[s] = body[b]!;
    this.keyLength = length;
    this.op = body[opAt]!;
    this.seq = u32(body, opAt + 1) + u32(body, opAt + 5) * 0x1_0000_0000;
    this.valueAt = opAt + FIXED_FIELDS + length - shared;
    this.valueLength = meta[m + 3]!;
    return true;
  }
}

/**
 * A loser tree (a tournament, Knuth's "tree of losers") over the cursors: the winner is the cursor whose entry
 * comes first, by key ascending, then sequence number descending (newest first), then input index, as
 * iterators.ts's MergeHeap orders them. Each inner node keeps the loser of the match played there; once the
 * winner has moved on, it replays only the matches on its way to the root: log2(inputs) comparisons per entry,
 * where a binary heap's sift-down makes about two per level. A cursor that is done loses every match.
 *
 * `shared`: how many leading bytes every key of every cursor has in common (sharedByAll: the bytes the smallest and
 * the largest key of the inputs share). A match compares keys from there on. Keys often share a long start
 * ("user:", numbers padded with zeros): 100,000 keys of 16 bytes numbered from 0 share 11, and a match compared
 * them byte by byte before reaching the first that can differ.
 */
export class LoserTree {
  readonly #cursors: readonly TableCursor[];
  /** tree[0]: the winner; tree[1 .. n - 1]: the loser at each inner node. Leaf i sits at node n + i. */
  readonly #tree: Int32Array;
  readonly #n: number;
  readonly #shared: number;

  constructor(cursors: readonly TableCursor[], shared = 0) {
    const n = cursors.length;
    this.#cursors = cursors;
    this.#n = n;
    this.#shared = shared;
    this.#tree = new Int32Array(Math.max(n, 1));
    const winners = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) winners[n + i] = i;
    for (let node = n - 1; node > 0; node--) {
      const a = winners[2 * node]!;
      const b = winners[2 * node + 1]!;
      const aWins = this.#before(a, b);
      winners[node] = aWins ? a : b;
      this.#tree[node] = aWins ? b : a;
    }
    this.#tree[0] = n > 1 ? winners[1]! : 0;
  }

  /** The cursor whose entry comes first (-1: every cursor is done). */
  get winner(): number {
    const w = this.#tree[0]!;
    return this.#n === 0 || this.#cursors[w]!.done ? -1 : w;
  }

  /** After the winner's cursor has moved on: the matches on its way to the root, played again. */
  replay(): void {
    const tree = this.#tree;
    let w = tree[0]!;
    for (let node = (w + this.#n) >> 1; node > 0; node >>= 1) {
      const other = tree[node]!;
      if (this.#before(other, w)) {
        tree[node] = w;
        w = other;
      }
    }
    tree[0] = w;
  }

  #before(a: number, b: number): boolean {
    const x = this.#cursors[a]!;
    const y = this.#cursors[b]!;
    if (x.done) return false;
    if (y.done) return true;
    const order = compareRange(x.key, x.keyLength, y.key, y.keyLength, this.#shared);
    if (order !== 0) return order < 0;
    return x.seq !== y.seq ? x.seq > y.seq : a < b;
  }
}

/**
 * The merged input minus what no reader can see, as snapshot.ts's retain() keeps it when no snapshot is live: of
 * each key its newest version only, and at the bottom not even that when it is a tombstone. Read one survivor
 * ahead, each shown to the splitter exactly once, in order; the output files take turns at it (fillFile).
 * Counts, progress events and the dropped versions named for the picture are retain()'s, at the same moments.
 */
export class MergedSurvivors {
  readonly #cursors: readonly TableCursor[];
  readonly #tree: LoserTree;
  readonly #dropTombstones: boolean;
  readonly #progress: CompactionProgress;
  readonly #trace: Trace;
  readonly #splitter: OutputSplitter | undefined;
  /** The last key seen (its newest version is the one kept): previous[0, previousLength). */
  #previous = new Uint8Array(64);
  #previousLength = -1;
  /** The cursor holding the next survivor (-1: there is none). */
  #current = -1;
  /** Whether the splitter closes the current output file before the next survivor. */
  opensFile = false;

  constructor(
    cursors: readonly TableCursor[],
    dropTombstones: boolean,
    progress: CompactionProgress,
    trace: Trace,
    splitter: OutputSplitter | undefined,
    shared = 0,
  ) {
    this.#cursors = cursors;
    for (const cursor of cursors) cursor.next();
    this.#tree = new LoserTree(cursors, shared);
    this.#dropTombstones = dropTombstones;
    this.#progress = progress;
    this.#trace = trace;
    this.#splitter = splitter;
    this.#seek();
  }

  get done(): boolean {
    return this.#current < 0;
  }

  /** One output file's survivors: the next one (it opens the file), then every one up to the next that opens one. */
  async fillFile(builder: SstableBuilder): Promise<void> {
    let count = 0;
    do {
      const c = this.#cursors[this.#current]!;
      builder.addVersion(c.key, c.keyLength, c.seq, c.op, c.body, c.valueAt, c.valueLength, c.view);
      if (sliceDue(++count)) await yieldToEventLoop();
      c.next();
      this.#tree.replay();
      this.#seek();
    } while (this.#current >= 0 && !this.opensFile);
  }

  /** From the tree's winner on, to the next survivor. */
  #seek(): void {
    const progress = this.#progress;
    for (;;) {
      const w = this.#tree.winner;
      if (w < 0) {
        this.#current = -1;
        return;
      }
      const c = this.#cursors[w]!;
      progress.entriesRead++;
      if (this.#sameAsPrevious(c)) {
        // An older version of the key just kept: no reader sees it.
        progress.droppedShadowed++;
        this.#noteDropped(c, 'shadowed');
        c.next();
        this.#tree.replay();
        continue;
      }
      this.#remember(c);
      if (this.#dropTombstones && c.op === OP_DELETE) {
        progress.droppedTombstones++;
        this.#noteDropped(c, 'tombstone');
        c.next();
        this.#tree.replay();
        continue;
      }
      progress.entriesWritten++;
      progress.bytes += entrySize(c.keyLength, c.valueLength);
      if (progress.entriesWritten % SLICE === 0) this.#trace.compactionProgress(progress);
      this.#current = w;
      if (this.#splitter) {
        this.opensFile = this.#splitter.stopBeforeNewKey(c.key, c.keyLength, entrySize(c.keyLength, c.valueLength));
      }
      return;
    }
  }

  #sameAsPrevious(c: TableCursor): boolean {
    const length = c.keyLength;
    if (length !== this.#previousLength) return false;
    const key = c.key;
    const previous = this.#previous;
    // From the end: merged keys often share a long start (a common prefix), and differ at their last bytes.
    for (let i = length - 1; i >= 0; i--) if (key[i] !== previous[i]) return false;
    return true;
  }

  #remember(c: TableCursor): void {
    const length = c.keyLength;
    if (this.#previous.length < length) this.#previous = new Uint8Array(Math.max(length, 2 * this.#previous.length));
    const key = c.key;
    const previous = this.#previous;
    for (let i = 0; i < length; i++) previous[i] = key[i]!;
    this.#previousLength = length;
  }

  #noteDropped(c: TableCursor, why: 'shadowed' | 'tombstone'): void {
    // Only a traced compaction notes them (its probe), and only the first few: otherwise no entry is made at all.
    const probe = this.#progress.probe;
    if (probe && probe.droppedShown.length < DROPPED_SHOWN) {
      const op = c.op === OP_PUT ? 'put' : 'delete';
      probe.dropped({ key: c.key.slice(0, c.keyLength), seq: c.seq, op, value: new Uint8Array(0) }, why);
    }
  }
}

/**
 * How many leading bytes every key of these tables has in common: those their smallest and their largest key
 * share. Every key lies between the two, so it starts with the same bytes: were one of those bytes different, the
 * key would sort before the smallest or after the largest.
 */
export function sharedByAll(tables: readonly { smallest: Uint8Array; largest: Uint8Array }[]): number {
  if (tables.length === 0) return 0;
  let low = tables[0]!.smallest;
  let high = tables[0]!.largest;
  for (const t of tables) {
    if (compareRange(t.smallest, t.smallest.length, low, low.length) < 0) low = t.smallest;
    if (compareRange(t.largest, t.largest.length, high, high.length) > 0) high = t.largest;
  }
  return sharedPrefixOf(low, low.length, high, high.length);
}
