// The write path's arena (LevelDB's util/arena.cc): the bytes of every WAL record the tree writes are carved out
// of large chunks, and the memtable keeps views into those records (key and value where they lie in the record):
// one copy of a write's bytes, made when it is called, and no buffer of its own per write.
//
// Why not a buffer per write: in a browser worker a fresh ArrayBuffer costs several microseconds (allocation,
// zeroing, the garbage collector's accounting of memory outside its heap) whatever its size, more than a durable
// put's CPU work, and a fresh 64 KiB buffer per WriteBatch made the WAL's write and flush of it slower as well
// (docs/platform.md §11). A chunk is a plain Uint8Array: nothing is ever freed by hand. A chunk lives as long as
// something still views it (the memtable, a snapshot's older version); the garbage collector frees it after.

/** Chunk size: 1 MiB, so that a WriteBatch record of up to 256 KiB still comes out of a chunk. */
export const ARENA_CHUNK_BYTES = 1024 * 1024;

export class Arena {
  readonly chunkBytes: number;
  #chunk = new Uint8Array(0);
  #used = 0;

  constructor(chunkBytes: number = ARENA_CHUNK_BYTES) {
    this.chunkBytes = chunkBytes;
  }

  /**
   * `length` bytes for the caller to fill (their content is unspecified). As LevelDB's Arena: a request over a
   * quarter of a chunk gets a buffer of its own, so that a large record never wastes the rest of a chunk.
   */
  alloc(length: number): Uint8Array {
    if (length > this.chunkBytes >> 2) return new Uint8Array(length);
    if (this.#used + length > this.#chunk.length) {
      this.#chunk = new Uint8Array(this.chunkBytes);
      this.#used = 0;
    }
    const out = this.#chunk.subarray(this.#used, this.#used + length);
    this.#used += length;
    return out;
  }
}
