// A cache of data blocks already read, verified and parsed, as LevelDB's block cache: a hot key's block is
// read from storage, checksummed and decoded once, not on every get. Least recently used blocks go first once
// the cache holds more than its budget of (stored) block bytes. Files are never modified and their numbers are
// never reused, so a cached block can never be stale.
import type { Entry } from '../codec/record';

export class BlockCache {
  readonly #budget: number;
  readonly #blocks = new Map<string, { entries: Entry[]; bytes: number }>();
  #bytes = 0;

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
  }

  get(file: string, offset: number): Entry[] | undefined {
    const key = `${file}@${offset}`;
    const found = this.#blocks.get(key);
    if (!found) return undefined;
    // Map iteration order is insertion order: re-inserting makes this block the most recently used.
    this.#blocks.delete(key);
    this.#blocks.set(key, found);
    return found.entries;
  }

  set(file: string, offset: number, bytes: number, entries: Entry[]): void {
    if (this.#budget <= 0 || bytes > this.#budget) return;
    this.#blocks.set(`${file}@${offset}`, { entries, bytes });
    this.#bytes += bytes;
    for (const [key, block] of this.#blocks) {
      if (this.#bytes <= this.#budget) break;
      this.#blocks.delete(key);
      this.#bytes -= block.bytes;
    }
  }

  /** Forgets a deleted file's blocks (they would age out anyway; this frees the memory now). */
  forget(file: string): void {
    for (const [key, block] of this.#blocks) {
      if (key.startsWith(`${file}@`)) {
        this.#blocks.delete(key);
        this.#bytes -= block.bytes;
      }
    }
  }
}
