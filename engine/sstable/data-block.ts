// What a verified data block offers a point read and a scan, whatever its format: version 1's flat entries
// (FlatDataBlock, block.ts) or version 2's prefix-compressed ones (PrefixDataBlock, prefix-block.ts). Both formats
// import it from here, and block.ts parses either: so neither block file imports the other's parser back.
import type { Entry } from '../codec/entry';
import type { BlockSearch } from '../events';

/**
 * A verified data block, as a point read and a scan use it, whatever its format (version 1: FlatDataBlock below;
 * version 2: PrefixDataBlock in prefix-block.ts). Entries are numbered 0 .. count - 1 in key order, versions of a
 * key newest first.
 */
export interface DataBlock {
  readonly count: number;
  /** The pooled buffer the body lies in, if it was read into one (BlockCache hands it back when done). */
  readonly storage: Uint8Array | undefined;
  /** What holding this block costs: its buffer and its index (the cache's budget is charged this). */
  readonly memoryBytes: number;
  /** The first entry whose key is >= key (count when there is none). */
  seek(key: Uint8Array): number;
  /** The newest entry whose key equals `key`, or -1; a traced read passes `search` to have each comparison noted. */
  find(key: Uint8Array, search?: BlockSearch): number;
  /** Entry i's sequence number. */
  seqAt(i: number): number;
  /** Whether entries i and j (i < j) hold the same key (two versions of it). */
  sameKey(i: number, j: number): boolean;
  isTombstone(i: number): boolean;
  /** A copy of entry i's value, the caller's to keep (value-copy.ts: small ones share a slab). */
  valueCopy(i: number): Uint8Array;
  entry(i: number): Entry;
  /**
   * Entry i, read in order: `previous` is entry i - 1's key (undefined at the block's first entry). A
   * prefix-compressed block rebuilds the key from it instead of walking back to the restart point.
   */
  entryAfter(i: number, previous: Uint8Array | undefined): Entry;
  key(i: number): Uint8Array;
  /** A prefix-compressed block's restart points: the entry number of each (absent in a version 1 block). */
  readonly restartEntries?: readonly number[];
}
