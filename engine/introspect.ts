// LevelDB's introspection (db/db_impl.cc: GetProperty, GetApproximateSizes): what a program, not the picture,
// asks the tree about itself. Properties are text, as LevelDB's are; the approximate size of a key range is
// read from the tables' index blocks alone, without reading a data block.
import { toHex } from './bytes';
import type { LsmState } from './state';

/** Charges one flush or compaction to its output level (LevelDB's stats_[level].Add). */
export function chargeLevel(state: LsmState, level: number, micros: number, bytesRead: number, bytesWritten: number) {
  const work = state.counters.levelWork;
  while (work.length <= level) work.push({ compactions: 0, micros: 0, bytesRead: 0, bytesWritten: 0 });
  const here = work[level]!;
  here.compactions++;
  here.micros += micros;
  here.bytesRead += bytesRead;
  here.bytesWritten += bytesWritten;
}

/** A monotonic clock in microseconds where there is one (workers and Node have performance.now). */
export function nowMicros(): number {
  return typeof performance === 'undefined' ? Date.now() * 1000 : performance.now() * 1000;
}

/**
 * A property by LevelDB's name, with or without its `leveldb.` prefix: 'stats' (the table leveldb.stats prints,
 * in MB with three decimals, since a classroom's tables are kilobytes), 'num-files-at-level<N>', 'sstables' (each
 * level's files with their key ranges, as leveldb.sstables), 'approximate-memory-usage' (the memtable's bytes, and
 * those of one being flushed off the write path), 'num-immutable-mem-table' (RocksDB's: 1 while one is, else 0).
 * Undefined for a name it does not know (LevelDB's GetProperty answers false).
 */
export function property(state: LsmState, name: string): string | undefined {
  const bare = name.startsWith('leveldb.') ? name.slice('leveldb.'.length) : name;
  const tables = state.version.newestFirst();
  const levels = Math.max(
    state.settings.maxLevels,
    tables.reduce((max, t) => Math.max(max, t.level + 1), 0),
  );
  const atLevel = /^num-files-at-level(\d+)$/.exec(bare);
  if (atLevel) {
    const level = Number(atLevel[1]);
    if (level >= levels) return undefined;
    return String(tables.filter((t) => t.level === level).length);
  }
  if (bare === 'stats') return statsText(state, levels);
  if (bare === 'sstables') {
    const lines: string[] = [];
    for (let level = 0; level < levels; level++) {
      lines.push(`--- level ${level} ---`);
      for (const t of tables.filter((table) => table.level === level)) {
        lines.push(` ${t.number}:${t.size}[${toHex(t.smallest)} .. ${toHex(t.largest)}]`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
  if (bare === 'approximate-memory-usage') return String(state.memtable.bytes + (state.imm?.memtable.bytes ?? 0));
  if (bare === 'num-immutable-mem-table') return state.imm ? '1' : '0';
  return undefined;
}

/** leveldb.stats: one line per level that has files or has been written into. */
function statsText(state: LsmState, levels: number): string {
  const tables = state.version.newestFirst();
  const mb = (bytes: number) => (bytes / 1048576).toFixed(3);
  const lines = [
    '                               Compactions',
    'Level  Files Size(MB) Time(sec) Read(MB) Write(MB)',
    '--------------------------------------------------',
  ];
  for (let level = 0; level < levels; level++) {
    const here = tables.filter((t) => t.level === level);
    const work = state.counters.levelWork[level];
    if (here.length === 0 && !work) continue;
    const bytes = here.reduce((sum, t) => sum + t.size, 0);
    lines.push(
      [
        String(level).padStart(3),
        String(here.length).padStart(8),
        mb(bytes).padStart(8),
        ((work?.micros ?? 0) / 1e6).toFixed(3).padStart(9),
        mb(work?.bytesRead ?? 0).padStart(8),
        mb(work?.bytesWritten ?? 0).padStart(9),
      ].join(' '),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * LevelDB's GetApproximateSizes for one range: the bytes of the tables between the two keys' offsets, each offset
 * summed over every table (a table wholly before the key counts whole; one holding it, up to the data block the
 * key would be in, from the index; one after it, nothing). The memtable is not counted, as in LevelDB.
 */
export function approximateSize(state: LsmState, start: Uint8Array | undefined, end: Uint8Array | undefined): number {
  const from = start === undefined ? 0 : approximateOffsetOf(state, start);
  const to =
    end === undefined
      ? state.version.newestFirst().reduce((sum, t) => sum + t.size, 0)
      : approximateOffsetOf(state, end);
  return Math.max(0, to - from);
}

/** Where key would lie in the whole tree's bytes: the sum over tables of its offset in each (Version's). */
function approximateOffsetOf(state: LsmState, key: Uint8Array): number {
  let offset = 0;
  for (const table of state.version.newestFirst()) {
    const reader = state.readers.get(table.number);
    if (reader) offset += reader.approximateOffsetOf(key);
  }
  return offset;
}
