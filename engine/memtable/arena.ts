// The write path's arena (LevelDB's util/arena.cc): the bytes of every WAL record the tree writes are carved out
// of large chunks, and the memtable keeps views into those records (key and value where they lie in the record):
// one copy of a write's bytes, made when it is called, and no buffer of its own per write.
//
// Why not a buffer per write: in a browser worker a fresh ArrayBuffer costs several microseconds (allocation,
// zeroing, the garbage collector's accounting of memory outside its heap) whatever its size, more than a durable
// put's CPU work, and a fresh 64 KiB buffer per WriteBatch made the WAL's write and flush of it slower as well
// (docs/platform.md §11).
//
// Why chunks are recycled: fresh memory is dear too. The first write to each 4 KiB page of a new chunk is a page
// fault, and in a virtual machine a costly one: copying 64 KiB WriteBatch records into new 1 MiB chunks took
// 19–28 ms per 5 MB in a Chromium worker here, against 3–5 ms for their checksums (and a raw OPFS append and
// flush of the same 5 MB, 30–45 ms). A native engine gets freed memory back from malloc; here a chunk goes back
// to a small pool, shared by every tree in the worker, once nothing can read it any more:
//   - a chunk's records are views the memtable keeps (memtable.ts), so a chunk is done with once the memtables
//     its records went into are flushed. The flush says so (memtableRetired) after its commit, when the new
//     memtable is still empty; closing the tree says so too (treeClosed). A flush off the write path
//     (background-flush.ts) commits while the new memtable fills: its chunks are set aside when it freezes
//     (closeGeneration) and given back at its commit (retireGeneration).
//   - a record is handed out before its write takes its turn in the tree's queue (the caller may change its
//     batch meanwhile), and a write waiting its turn goes into the next memtable. So a chunk goes back only when
//     none of its records is unsettled: each was applied to a memtable (write.ts) or its write failed. A chunk
//     that still holds one waits for a later flush.
//   - nothing else keeps a view of a record: reads hand out copies (value-copy.ts), events carry text, the WAL
//     writes a group commit's records before the flush that retires them, and a scan drops its merge when the
//     memtable it read is gone (read.ts).
// A recycled chunk is filled with POISON first: a view kept by mistake then reads as garbage, which checksums and
// tests catch, never as a plausible old value.

/** Chunk size: 1 MiB, so that a WriteBatch record of up to 256 KiB still comes out of a chunk. */
export const ARENA_CHUNK_BYTES = 1024 * 1024;
/** Chunks the worker's pool keeps for the next arena that needs one: a 4 MiB memtable's worth and some. */
export const POOLED_CHUNKS = 8;
/** Filled chunks an arena remembers at most while it waits to give them back (the oldest are then left to GC). */
const REMEMBERED_CHUNKS = 64;
/** What a recycled chunk holds until it is written again. */
export const POISON = 0xa5;

/** Free chunks, by size (an arena with other chunk sizes, as tests make, keeps to its own). */
const pool = new Map<number, Uint8Array[]>();

/** Chunks made fresh and taken from the pool, since the worker started (for tests and benchmarks). */
const counts = { fresh: 0, reused: 0 };

function takeChunk(size: number): Uint8Array {
  const pooled = pool.get(size)?.pop();
  if (pooled) {
    counts.reused++;
    return pooled;
  }
  counts.fresh++;
  return new Uint8Array(size);
}

function giveChunk(chunk: Uint8Array): void {
  let free = pool.get(chunk.length);
  if (!free) {
    free = [];
    pool.set(chunk.length, free);
  }
  if (free.length >= POOLED_CHUNKS) return;
  chunk.fill(POISON);
  free.push(chunk);
}

/** How many chunks arenas made fresh and how many they took from the pool, so far. */
export function arenaChunks(): { fresh: number; reused: number } {
  return { ...counts };
}

/** Empties the worker's pool (for tests that count what a tree takes from it). */
export function drainArenaPool(): void {
  pool.clear();
}

/** Chunks of this size waiting in the worker's pool (for tests). */
export function pooledChunks(size: number = ARENA_CHUNK_BYTES): number {
  return pool.get(size)?.length ?? 0;
}

/** The chunks an immutable memtable's records lie in (Arena.closeGeneration). */
export interface ArenaGeneration {
  chunks: Chunk[];
}

/** A chunk, and how many records handed out of it are not settled yet. */
export interface Chunk {
  readonly bytes: Uint8Array;
  unsettled: number;
}

export class Arena {
  readonly chunkBytes: number;
  #chunk: Chunk | undefined;
  #used = 0;
  /** Chunks filled before the current one, not yet given back. */
  #filled: Chunk[] = [];
  /** Records handed out whose write has neither reached the memtable nor failed, and the chunk each lies in. */
  readonly #unsettled = new WeakMap<Uint8Array, Chunk>();

  constructor(chunkBytes: number = ARENA_CHUNK_BYTES) {
    this.chunkBytes = chunkBytes;
  }

  /**
   * `length` bytes for the caller to fill (their content is unspecified): one record, unsettled until settle().
   * As LevelDB's Arena: a request over a quarter of a chunk gets a buffer of its own, so that a large record
   * never wastes the rest of a chunk (and the garbage collector frees it).
   */
  alloc(length: number): Uint8Array {
    if (length > this.chunkBytes >> 2) return new Uint8Array(length);
    let chunk = this.#chunk;
    if (!chunk || this.#used + length > chunk.bytes.length) {
      if (chunk) {
        this.#filled.push(chunk);
        if (this.#filled.length > REMEMBERED_CHUNKS) this.#filled.shift();
      }
      chunk = { bytes: takeChunk(this.chunkBytes), unsettled: 0 };
      this.#chunk = chunk;
      this.#used = 0;
    }
    const out = chunk.bytes.subarray(this.#used, this.#used + length);
    this.#used += length;
    chunk.unsettled++;
    this.#unsettled.set(out, chunk);
    return out;
  }

  /** A record's write reached the memtable, or failed: either way it no longer holds its chunk back. Idempotent. */
  settle(record: Uint8Array): void {
    const chunk = this.#unsettled.get(record);
    if (chunk === undefined) return;
    this.#unsettled.delete(record);
    chunk.unsettled--;
  }

  /**
   * The memtable was flushed and a new, empty one took its place: every filled chunk whose records are all settled
   * goes back to the pool (they went into memtables now flushed, or their writes failed). A chunk holding a record
   * still on its way (a write waiting its turn goes into the new memtable) stays until a later flush.
   */
  memtableRetired(): void {
    const kept: Chunk[] = [];
    for (const chunk of this.#filled) {
      if (chunk.unsettled === 0) giveChunk(chunk.bytes);
      else kept.push(chunk);
    }
    this.#filled = kept;
  }

  /**
   * The memtable became immutable and a new one took its place, while the old one is still read until its flush
   * commits (background-flush.ts, LevelDB's imm_): the chunks whose records are all settled now (each in the frozen
   * memtable, or its write failed) are set aside for retireGeneration to give back once the flush commits, the
   * current one too, so that the new memtable's records go into chunks of their own. A chunk that still holds a
   * record on its way (a write waiting its turn behind the one that switched: it goes into the new memtable) stays,
   * and waits for the new memtable's flush: deciding that at the commit would be too late, since by then such a
   * write has settled into the new memtable, whose entries still view its chunk.
   */
  closeGeneration(): ArenaGeneration {
    const chunks: Chunk[] = [];
    const kept: Chunk[] = [];
    for (const chunk of this.#filled) (chunk.unsettled === 0 ? chunks : kept).push(chunk);
    this.#filled = kept;
    const current = this.#chunk;
    if (current && current.unsettled === 0) {
      chunks.push(current);
      this.#chunk = undefined;
      this.#used = 0;
    }
    return { chunks };
  }

  /**
   * The immutable memtable's flush committed: its chunks go back to the pool. Nothing allocates from them after
   * closeGeneration, so none can hold a record on its way; were one to, it would wait in the filled chunks.
   */
  retireGeneration(generation: ArenaGeneration): void {
    for (const chunk of generation.chunks) {
      if (chunk.unsettled === 0) giveChunk(chunk.bytes);
      else this.#filled.push(chunk);
    }
    generation.chunks = [];
  }

  /** The tree is closed: nothing reads its memtable any more, so the current chunk goes back as well. */
  treeClosed(): void {
    this.memtableRetired();
    const chunk = this.#chunk;
    if (chunk && chunk.unsettled === 0) {
      giveChunk(chunk.bytes);
      this.#chunk = undefined;
      this.#used = 0;
    }
  }
}
