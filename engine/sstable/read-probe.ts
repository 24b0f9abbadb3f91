// What a traced point read saw in one SSTable, for the read events (trace.ts, ReadTrace.sstable): the bloom
// filter's bits, the sparse index lines around the chosen block, the block's keys, each comparison of the search.
// A get is given a probe only when someone listens; the reader then hands it the raw facts of each step (bytes
// and numbers it has at hand anyway), and the probe alone turns them into what the events carry (hex strings,
// copied arrays). A get without a probe does none of this work.
import { toHex } from '../bytes';
import type { BlockRead, BlockSearch, BloomProbe, IndexLookup } from '../events';
import { bloomProbe } from './bloom';
import type { DataBlock } from './data-block';

/** A traced read reports the keys of a block it read up to this many entries (a classroom's blocks hold a few). */
export const BLOCK_KEYS_DRAWN = 32;

/** How many sparse index lines around the chosen one a traced read reports. */
const INDEX_LINES_SHOWN = 7;

export class TableProbe {
  bloom?: BloomProbe;
  index?: IndexLookup;
  block?: BlockRead;
  search?: BlockSearch;

  /** The filter was asked about the key (its hash). */
  sawFilter(filter: Uint8Array, keyHash: number): void {
    this.bloom = bloomProbe(filter, keyHash);
  }

  /** The index named block `chosen` of those whose first keys are `firstKeys`: the lines around it. */
  sawIndex(firstKeys: readonly Uint8Array[], chosen: number): void {
    const blocks = firstKeys.length;
    const from = Math.max(0, Math.min(chosen - (INDEX_LINES_SHOWN >> 1), blocks - INDEX_LINES_SHOWN));
    const keys = firstKeys.slice(from, from + INDEX_LINES_SHOWN).map(toHex);
    this.index = { blocks, from, keys, chosen };
  }

  /** The data block taken (from the cache or from storage): where from, and its keys when few enough to draw. */
  sawBlock(data: DataBlock, cached: boolean): void {
    const restarts = data.restartEntries ? { restarts: data.restartEntries.slice() } : {};
    if (data.count > BLOCK_KEYS_DRAWN) {
      this.block = { cached, entries: data.count, ...restarts };
      return;
    }
    const keys = Array.from({ length: data.count }, (_, i) => toHex(data.key(i)));
    this.block = { cached, entries: data.count, keys, ...restarts };
  }

  /** The record the block's search fills in, comparison by comparison (DataBlock.find). */
  searching(data: DataBlock): BlockSearch {
    this.search = { entries: data.count, compared: [], at: -1 };
    return this.search;
  }

  /** The entry that answered (after the versions a snapshot may not see), or -1. */
  answered(at: number): void {
    if (this.search) this.search.at = at;
  }
}
