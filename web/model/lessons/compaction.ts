// Compaction: leveled and tiered, what each costs (write, read and space amplification, measured), and
// compactRange with the versions it drops or keeps for a snapshot. Every reveal is told from the compaction.* and
// manifest.edit events of what the engine just did, and the numbers in it are sums over those events.
import type { SstableInfo, WorkloadSpec } from '@lsm-lab/engine';
import type { TimelineEvent } from '../timeline';
import { explainCompaction, explainRead } from './explain';
import { all, type Chapter, find, type Lesson, last, list, plural, puts, setup, text } from './lesson';

/** "2.4×": a ratio as the Amplification section shows it. */
const times = (n: number) => `${n.toFixed(1)}×`;

/** What a stretch of events wrote: SSTable bytes by flushes and by compactions, and how many of each ran. */
export function bytesWritten(events: readonly TimelineEvent[]) {
  const flushed = new Set(all(events, 'flush.end').map((f) => f.table));
  const flushBytes = all(events, 'sstable.write')
    .filter((w) => flushed.has(w.table.file))
    .reduce((sum, w) => sum + w.table.size, 0);
  const ends = all(events, 'compaction.end');
  const compactionBytes = ends.reduce((sum, e) => sum + e.bytesWritten, 0);
  return {
    flushes: flushed.size,
    flushBytes,
    compactions: ends.length,
    compactionBytes,
    compactionRead: ends.reduce((sum, e) => sum + e.bytesRead, 0),
    dropped: ends.reduce((sum, e) => sum + e.droppedShadowed + e.droppedTombstones, 0),
    /** Every SSTable byte written for each byte the flushes wrote: write amplification, counted on the tables. */
    amplification: flushBytes === 0 ? 0 : (flushBytes + compactionBytes) / flushBytes,
  };
}

/** The live SSTables after these events, folded from their manifest edits (for a database that began empty). */
export function liveTables(events: readonly TimelineEvent[]): SstableInfo[] {
  const live = new Map<string, SstableInfo>();
  for (const edit of all(events, 'manifest.edit')) {
    for (const file of edit.removed) live.delete(file);
    for (const table of edit.added) live.set(table.file, table);
  }
  return [...live.values()];
}

/** The events of each workload run, from its workload.begin to its workload.end. */
function workloadRuns(events: readonly TimelineEvent[]): TimelineEvent[][] {
  const runs: TimelineEvent[][] = [];
  let from = -1;
  events.forEach((e, i) => {
    if (e.type === 'workload.begin') from = i;
    if (e.type === 'workload.end' && from >= 0) {
      runs.push(events.slice(from, i + 1));
      from = -1;
    }
  });
  return runs;
}

/** The strategy a run's compactions used (from their compaction.begin), or "no" compaction. */
const strategyOf = (run: readonly TimelineEvent[]) => find(run, 'compaction.begin')?.strategy ?? 'no';

/** The same workload run leveled, then tiered: what each run's compactions wrote, and what it left for reads. */
export function explainTwinRuns(events: readonly TimelineEvent[]): string {
  const runs = workloadRuns(events);
  if (runs.length < 2) return 'The two runs did not both finish.';
  const parts: string[] = [];
  runs.forEach((run, i) => {
    const w = bytesWritten(run);
    const upTo = events.indexOf(run.at(-1)!);
    const tables = liveTables(events.slice(0, upTo + 1));
    const l0 = tables.filter((t) => t.level === 0).length;
    const levels = [...new Set(tables.map((t) => t.level))].sort((a, b) => a - b);
    const outputs = [...new Set(all(run, 'compaction.end').map((e) => `L${e.outputLevel}`))];
    parts.push(
      `${i === 0 ? 'The first run' : 'The second run'} (${strategyOf(run)} compaction) flushed ${plural(w.flushes, 'table')} (${w.flushBytes} bytes); its ${plural(w.compactions, 'compaction')}${outputs.length > 0 ? ` into ${list(outputs)}` : ''} wrote ${w.compactionBytes} bytes more: write amplification ${times(w.amplification)}. It left ${plural(tables.length, 'table')} in ${list(levels.map((l) => `L${l}`))}, ${l0} of them overlapping in L0.`,
    );
  });
  const [a, b] = runs.map((r) => bytesWritten(r).compactionBytes) as [number, number];
  parts.push(
    a === b
      ? 'Both runs’ compactions wrote the same number of bytes.'
      : `The ${a < b ? 'first' : 'second'} run’s compactions wrote ${Math.abs(a - b)} bytes fewer.`,
  );
  parts.push(
    'Tiered merges only L0’s runs: the deeper levels the first run left were not rewritten. The Twins panel compares both on fresh databases.',
  );
  return parts.join(' ');
}

const twinRunsOutcome = (events: readonly TimelineEvent[]) => {
  const runs = workloadRuns(events);
  if (runs.length < 2) return 'same';
  const [a, b] = runs.map((r) => ({ strategy: strategyOf(r), bytes: bytesWritten(r).compactionBytes }));
  if (a!.bytes === b!.bytes) return 'same';
  return (a!.bytes < b!.bytes ? a! : b!).strategy;
};

/** What a workload run wrote: the flushes, the compactions on top, and the ratio. */
export function explainWriteAmplification(events: readonly TimelineEvent[]): string {
  const w = bytesWritten(events);
  const trivial = all(events, 'compaction.begin').filter((b) => b.trivialMove).length;
  const levels = [...new Set(all(events, 'compaction.end').map((e) => `L${e.outputLevel}`))];
  return [
    `The workload's ${plural(w.flushes, 'flush', 'flushes')} wrote ${w.flushBytes} bytes of SSTables into L0.`,
    `Then ${plural(w.compactions, 'compaction')}${levels.length > 0 ? ` into ${list(levels)}` : ''}${trivial > 0 ? ` (${trivial} of them moving a file down without rewriting it)` : ''} read ${w.compactionRead} bytes and wrote ${w.compactionBytes} bytes, dropping ${plural(w.dropped, 'older version')}.`,
    `That is ${(w.flushBytes === 0 ? 0 : w.compactionBytes / w.flushBytes).toFixed(2)} bytes of compaction per byte flushed: SSTable bytes written in all ÷ bytes flushed = write amplification ${times(w.amplification)} (the WAL's bytes come on top).`,
  ].join(' ');
}

/** A compactRange: what it read, what it wrote, and what that says about the space the tree had taken. */
export function explainSpace(events: readonly TimelineEvent[]): string {
  const w = bytesWritten(events);
  if (w.compactions === 0) return 'No compaction ran: the tree was already one sorted run.';
  const ends = all(events, 'compaction.end');
  const shadowed = ends.reduce((s, e) => s + e.droppedShadowed, 0);
  const tombstones = ends.reduce((s, e) => s + e.droppedTombstones, 0);
  const outputs = ends.at(-1)!;
  return [
    `Compacting every key ran ${plural(w.compactions, 'compaction')}: they read ${w.compactionRead} bytes of tables and wrote ${w.compactionBytes} bytes, dropping ${plural(shadowed, 'overwritten version')} and ${plural(tombstones, 'tombstone')}.`,
    w.compactionBytes > 0
      ? `What they read was ${(w.compactionRead / w.compactionBytes).toFixed(1)} times what they kept: that much space the old versions had been taking (space amplification).`
      : '',
    `The last one wrote ${list(outputs.outputs)} into L${outputs.outputLevel}.`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** Versions a compaction dropped, and those it kept because a snapshot can still see them. */
export function explainVersions(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  const released = find(events, 'snapshot.release');
  if (released)
    parts.push(
      `The snapshot at sequence number ${released.seq} was released (${released.live.length === 0 ? 'no snapshot is live now' : `still live: ${list(released.live.map(String))}`}).`,
    );
  const ends = all(events, 'compaction.end');
  if (ends.length === 0) parts.push('No compaction ran.');
  for (const end of ends) {
    const dropped = end.dropped ?? [];
    const named = dropped.map(
      (d) => `${text(d.key)}@${d.seq} (${d.why === 'tombstone' ? 'a tombstone' : 'overwritten'})`,
    );
    parts.push(
      `The compaction read ${list(end.inputs)} and wrote ${list(end.outputs)} into L${end.outputLevel}, dropping ${end.droppedShadowed + end.droppedTombstones === 0 ? 'nothing' : `${plural(end.droppedShadowed, 'overwritten version')} and ${plural(end.droppedTombstones, 'tombstone')}`}${named.length > 0 ? `: ${list(named)}` : ''}.`,
    );
    // Said once, with the snapshots that kept them, where the engine reported those (snapshot.kept, below).
    if (end.keptForSnapshots > 0 && !find(events, 'snapshot.kept'))
      parts.push(`It kept ${plural(end.keptForSnapshots, 'older version')} alive for a snapshot.`);
  }
  for (const kept of all(events, 'snapshot.kept'))
    parts.push(
      `The ${kept.by} kept ${plural(kept.versions, 'older version')} because the snapshot${kept.snapshots.length === 1 ? '' : 's'} at ${list(kept.snapshots.map(String))} can still see ${kept.versions === 1 ? 'it' : 'them'}.`,
    );
  const read = last(events, 'read.end');
  if (read)
    parts.push(
      read.found
        ? `The Get at the snapshot found ${text(read.key)} = ${text(read.value)} in ${read.source}.`
        : `The Get at the snapshot did not find ${text(read.key)}.`,
    );
  return parts.join(' ');
}

/** Where compactRange wrote: the level it pushed every key into, and how deep the tree went before. */
export function explainBottom(events: readonly TimelineEvent[]): string {
  const end = last(events, 'compaction.end');
  const begins = all(events, 'compaction.begin');
  if (!end) return 'No compaction ran.';
  const deepest = Math.max(...begins.flatMap((b) => b.inputLevels));
  const parts = [explainVersions(events)];
  parts.push(
    deepest === end.outputLevel
      ? `L${end.outputLevel} already was the deepest level holding tables: compactRange pushes keys to the bottom of the tree as it is, not to its last possible level.`
      : `Its inputs came from ${list([...new Set(begins.flatMap((b) => b.inputLevels))].map((l) => `L${l}`))}; L${end.outputLevel} is the level below the deepest of them.`,
  );
  return parts.join(' ');
}

/** The pick of the leveled lesson: the tables the compaction read that were on the picture before the flush. */
export function tablesCompacted(events: readonly TimelineEvent[]): string[] {
  const begin = find(events, 'compaction.begin');
  if (!begin) return [];
  const flushed = new Set(all(events, 'flush.end').map((f) => f.table));
  return begin.inputs.filter((file) => !flushed.has(file));
}

/** Which tables the compaction took from L0 and which from the level below, as its begin event lists them. */
export function explainOverlap(events: readonly TimelineEvent[]): string {
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const begin = find(events, 'compaction.begin');
  const end = find(events, 'compaction.end');
  const parts = [flushed.length > 0 ? `The flush wrote ${list(flushed)} into L0.` : 'No flush ran.'];
  if (!begin || !end) return [...parts, 'No compaction began: L0 just grew.'].join(' ');
  // The picker lists L0's files first (all of them: they overlap each other), then the overlapping ones below.
  const l0 = Number(/^L0 has (\d+) files/.exec(begin.reason)?.[1] ?? begin.inputs.length);
  const fromL0 = begin.inputs.slice(0, l0);
  const below = begin.inputs.slice(l0);
  parts.push(
    `The compaction began because ${begin.reason}. It took all of L0 (${list(fromL0)}): their key ranges overlap, so no one of them can go down alone.`,
  );
  parts.push(
    below.length > 0
      ? `From L${end.outputLevel} it took only ${list(below)}, the ${below.length === 1 ? 'table whose key range overlaps' : 'tables whose key ranges overlap'} theirs; every other table of L${end.outputLevel} stayed as it was.`
      : `No table of L${end.outputLevel} overlapped their keys, so none was read from there.`,
  );
  parts.push(
    `It merged ${plural(end.entriesRead, 'entry', 'entries')} and wrote ${list(end.outputs)} into L${end.outputLevel}: files whose key ranges do not overlap.`,
  );
  return parts.join(' ');
}

/**
 * Leveled and tiered compaction, run on the same seeded workload: 800 writes over 800 keys, a tenth of them
 * updates. Big enough (with a 1 KiB memtable) for leveled compaction to push data through three levels.
 */
const TWIN_WORKLOAD: WorkloadSpec = {
  operations: 800,
  distribution: 'random',
  keySpace: 800,
  readPercent: 0,
  updatePercent: 10,
  deletePercent: 0,
  valueBytes: 16,
  seed: 21,
};

/** Hot keys written over and over: the overwrites compaction has to drop. */
const HOT_WORKLOAD: WorkloadSpec = {
  operations: 300,
  distribution: 'zipf',
  keySpace: 50,
  readPercent: 0,
  updatePercent: 50,
  deletePercent: 0,
  valueBytes: 16,
  seed: 5,
};

const LESSONS: Lesson[] = [
  {
    id: 'compaction',
    title: 'Leveled compaction',
    topic: 'L0 fills with overlapping tables; at four, leveled compaction merges them with the L1 tables they overlap.',
    note: 'Say: every L0 table can hold any key, so a read checks them all; compaction merges them into L1, one sorted run of files that do not overlap, and reads only the L1 files in the way. Misconception: compaction runs on a timer — it runs when a level passes its trigger; and it rewrites the whole next level — only the overlapping files.',
    // Two SSTables in L0: two more flushes reach leveled compaction's trigger of four.
    setup: setup([
      ...puts(['user:10', 'user:30', 'user:50'], 'Edsger'),
      { op: 'flush' },
      ...puts(['user:20', 'user:40', 'user:60'], 'Barbara'),
      { op: 'flush' },
    ]),
    steps: [
      {
        kind: 'explain',
        text: 'Every flush adds an SSTable to L0, and L0 tables overlap: each can hold any key, so every one is a place a read must look. Leveled compaction merges L0 into L1 once L0 holds 4 files, keeping only the newest version of each key.',
      },
      {
        kind: 'predict',
        question:
          'You write and flush twice more. Leveled compaction starts once L0 holds 4 files (its heading shows how many it holds now). What does the engine do?',
        choices: [
          { id: 'compact', label: 'Merges L0 into L1 (a compaction)' },
          { id: 'nothing', label: 'Nothing: L0 just grows' },
        ],
        button: 'Write and flush twice more',
        actions: [
          ...puts(['user:15', 'user:25'], 'Donald'),
          { op: 'flush' },
          ...puts(['user:35', 'user:45'], 'Frances'),
          { op: 'flush' },
        ],
        outcome: (events) => (events.some((e) => e.type === 'compaction.begin') ? 'compact' : 'nothing'),
        explanation: explainCompaction,
      },
      {
        kind: 'try',
        text: 'L1 is one sorted run, cut into files whose key ranges do not overlap. Now write keys between user:11 and user:14 and flush three times. Watch where the new tables land, and which L1 files their key ranges overlap.',
        button: 'Write and flush three times',
        actions: [
          ...puts(['user:11', 'user:12'], 'Ken'),
          { op: 'flush' },
          ...puts(['user:13'], 'Ken'),
          { op: 'flush' },
          ...puts(['user:14'], 'Ken'),
          { op: 'flush' },
        ],
      },
      {
        kind: 'pick',
        question:
          'L0 is compacted once it holds 4 files. Write user:16 and flush once more: point at every SSTable now on the picture that you expect a compaction to read (the table the flush writes aside).',
        target: 'table',
        button: 'Write user:16 and flush',
        actions: [{ op: 'put', key: 'user:16', value: 'Ken' }, { op: 'flush' }],
        answer: tablesCompacted,
        explanation: explainOverlap,
      },
      {
        kind: 'explain',
        text: 'Where a compaction cuts its output into files: at about the target file size, or sooner, once a file would overlap more than ten target-sized files of the level below its output (its "grandparents", LevelDB’s limit). Without that limit one output file could span dozens of files below, and the compaction that later pushes it down would have to read them all at once.',
      },
    ],
  },
  {
    id: 'tiered',
    title: 'Tiered compaction and its trade',
    topic: 'Tiered compaction merges runs of similar size: fewer bytes rewritten, more runs for a read to look in.',
    note: 'Say: leveled keeps each level one sorted run and rewrites data each time it moves down; tiered lets runs pile up and merges them a few at a time. Same workload, same seed: compare the bytes. Misconception: one strategy is simply better — each buys lower write amplification or lower read and space amplification with the other.',
    setup: setup([], { memtableBytes: 1024 }),
    steps: [
      {
        kind: 'explain',
        text: 'Size-tiered compaction (Cassandra’s STCS, RocksDB’s universal) treats every flush as a run and merges four runs of similar size into one bigger run; it never rewrites one sorted level over and over as leveled compaction does.',
      },
      {
        kind: 'predict',
        question:
          'The same seeded workload (800 writes over 800 keys) runs twice: first with leveled compaction, then, switched to tiered, again. Whose compactions write fewer bytes?',
        choices: [
          { id: 'tiered', label: 'Tiered' },
          { id: 'leveled', label: 'Leveled' },
          { id: 'same', label: 'Both the same' },
        ],
        button: 'Run it leveled, then tiered',
        actions: [
          { op: 'settings', changes: { compaction: 'leveled' } },
          { op: 'workload', spec: TWIN_WORKLOAD },
          { op: 'settings', changes: { compaction: 'tiered' } },
          { op: 'workload', spec: TWIN_WORKLOAD },
        ],
        outcome: twinRunsOutcome,
        explanation: explainTwinRuns,
      },
      {
        kind: 'predict',
        question: 'And the reads? A Get of key:00000042 now, after the tiered run: how many SSTables does it look in?',
        choices: [
          { id: 'several', label: 'Several: one per overlapping run, newest first' },
          { id: 'one', label: 'One' },
        ],
        button: 'Get key:00000042',
        actions: [{ op: 'get', key: 'key:00000042' }],
        outcome: (events) => (all(events, 'read.sstable').length > 1 ? 'several' : 'one'),
        explanation: explainRead,
      },
      {
        kind: 'explain',
        text: 'The trade: tiered writes each byte fewer times, but leaves several runs that overlap, so a read looks in more of them and overwritten versions wait longer to be dropped (more space). Leveled pays in writes for one run per level.',
      },
    ],
  },
  {
    id: 'amplification',
    title: 'Amplification: write, read and space',
    topic: 'Write, read and space amplification, measured: lowering one costs another.',
    note: 'Say: write amplification is bytes written to disk per byte the application wrote; read amplification is places (tables, blocks) a read touches; space amplification is bytes on disk per byte of live data. The Workload panel’s Amplification section measures all three. Misconception: an LSM tree writes each byte once — every compaction writes it again.',
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        text: 'Three costs, measured here from what the engine writes and reads: write amplification (bytes of SSTables written per byte flushed), read amplification (tables a Get looks in) and space amplification (bytes the tables take per byte of live data). The Amplification section of the Workload panel keeps the running figures.',
      },
      {
        kind: 'predict',
        question:
          'A seeded workload writes 300 times to 50 hot keys. For every byte the flushes write, will compaction write less than one byte more, or more?',
        choices: [
          { id: 'more', label: 'One byte or more' },
          { id: 'less', label: 'Less than one byte' },
        ],
        button: 'Run 300 writes to 50 hot keys',
        actions: [{ op: 'workload', spec: HOT_WORKLOAD }],
        outcome: (events) => {
          const w = bytesWritten(events);
          return w.compactionBytes >= w.flushBytes ? 'more' : 'less';
        },
        explanation: explainWriteAmplification,
      },
      {
        kind: 'predict',
        question: 'Compact every key into the last level. Will the compaction write less than half of what it reads?',
        choices: [
          { id: 'half', label: 'Yes: most of the bytes were old versions' },
          { id: 'most', label: 'No: most of the bytes were live data' },
        ],
        button: 'Compact everything',
        actions: [{ op: 'compact' }],
        outcome: (events) => {
          const w = bytesWritten(events);
          return w.compactionBytes * 2 < w.compactionRead ? 'half' : 'most';
        },
        explanation: explainSpace,
      },
      {
        kind: 'predict',
        question: 'Now a Get of key:00000003: how many SSTables does it look in?',
        choices: [
          { id: 'one', label: 'One: the last level is one sorted run' },
          { id: 'several', label: 'Several' },
        ],
        button: 'Get key:00000003',
        actions: [{ op: 'get', key: 'key:00000003' }],
        outcome: (events) => (all(events, 'read.sstable').length > 1 ? 'several' : 'one'),
        explanation: explainRead,
      },
      {
        kind: 'explain',
        text: 'The triangle: compacting eagerly (leveled, compactRange) buys low read and space amplification with writes; compacting lazily (tiered) saves writes and pays in reads and space. No setting lowers all three at once.',
      },
    ],
  },
  {
    id: 'compact-range',
    title: 'compactRange, deletes and snapshots',
    topic: 'compactRange pushes keys to the bottom, dropping tombstones and overwritten versions no snapshot can see.',
    note: 'Say: a delete frees nothing until a compaction into the bottom level drops the tombstone and what it hides; a version older than the oldest live snapshot is garbage, a newer one is kept for it. Misconception: delete frees space at once; and compaction drops every old version regardless of snapshots.',
    setup: setup([
      ...puts(['user:1', 'user:2', 'user:3', 'user:4'], 'v1'),
      { op: 'flush' },
      { op: 'put', key: 'user:1', value: 'v2' },
      { op: 'delete', key: 'user:2' },
      { op: 'flush' },
    ]),
    steps: [
      {
        kind: 'explain',
        text: 'compactRange (LevelDB’s CompactRange) pushes every key of a range down to the last level. There nothing older can exist, so a tombstone and the versions it hides can go, and so can every overwritten version — unless a live snapshot can still see it.',
      },
      {
        kind: 'try',
        text: 'Take a snapshot, then overwrite user:3 and delete user:4, and flush. Which versions of user:3 and user:4 does the new table hold, and which does the snapshot see?',
        button: 'Snapshot, overwrite user:3, delete user:4, flush',
        actions: [
          { op: 'snapshot' },
          { op: 'put', key: 'user:3', value: 'v2' },
          { op: 'delete', key: 'user:4' },
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        question:
          'Compact everything. user:1 = v1 was overwritten and user:2 deleted before the snapshot was taken; user:3 = v1 was overwritten after it. What happens to user:3 = v1?',
        choices: [
          { id: 'kept', label: 'Kept, for the snapshot' },
          { id: 'dropped', label: 'Dropped with the rest' },
        ],
        button: 'Compact, then Get user:3 at the snapshot',
        actions: [{ op: 'compact' }, { op: 'get', key: 'user:3', at: 'snapshot' }],
        outcome: (events) => {
          const read = last(events, 'read.end');
          return read?.found && text(read.value) === 'v1' ? 'kept' : 'dropped';
        },
        explanation: explainVersions,
      },
      {
        kind: 'predict',
        question: 'Release the snapshot and compact again. What happens to the old versions the snapshot could see?',
        choices: [
          { id: 'dropped', label: 'Dropped now' },
          { id: 'kept', label: 'Kept: they survived one compaction' },
        ],
        button: 'Release the snapshot, compact',
        actions: [{ op: 'release', seq: 'oldest' }, { op: 'compact' }],
        outcome: (events) =>
          all(events, 'compaction.end').some((e) => e.droppedShadowed + e.droppedTombstones > 0) ? 'dropped' : 'kept',
        explanation: explainVersions,
      },
      {
        kind: 'pick',
        question:
          'Put user:5, flush, and compact everything again. Point at the level you expect compactRange to write into.',
        target: 'level',
        single: true,
        button: 'Put user:5, flush, compact',
        actions: [{ op: 'put', key: 'user:5', value: 'v1' }, { op: 'flush' }, { op: 'compact' }],
        answer: (events) => {
          const end = last(events, 'compaction.end');
          return end ? [`L${end.outputLevel}`] : [];
        },
        explanation: explainBottom,
      },
    ],
  },
];

export const COMPACTION: Chapter = { id: 'compaction', title: 'Compaction', lessons: LESSONS };
