// Compaction: leveled and tiered, what each costs (write, read and space amplification, measured), and
// compactRange with the versions it drops or keeps for a snapshot. Every reveal is told from the compaction.* and
// manifest.edit events of what the engine just did, and the numbers in it are sums over those events.

import type { SstableInfo, WorkloadSpec } from '@lsm-lab/engine';
import { t } from '../../i18n';
import type { TimelineEvent } from '../timeline';
import { explainCompaction, explainRead } from './explain';
import { all, type Chapter, find, type Lesson, last, list, puts, setup, text } from './lesson';

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

/** The strategy's name as a sentence says it: "leveled compaction", "no compaction". */
const strategyName = (strategy: string) =>
  strategy === 'leveled'
    ? t('lessons:explain.twins.leveled')
    : strategy === 'tiered'
      ? t('lessons:explain.twins.tiered')
      : t('lessons:explain.twins.noStrategy');

/** The same workload run leveled, then tiered: what each run's compactions wrote, and what it left for reads. */
export function explainTwinRuns(events: readonly TimelineEvent[]): string {
  const runs = workloadRuns(events);
  if (runs.length < 2) return t('lessons:explain.twins.unfinished');
  const parts: string[] = [];
  runs.forEach((run, i) => {
    const w = bytesWritten(run);
    const upTo = events.indexOf(run.at(-1)!);
    const tables = liveTables(events.slice(0, upTo + 1));
    const l0 = tables.filter((table) => table.level === 0).length;
    const levels = [...new Set(tables.map((table) => table.level))].sort((x, y) => x - y);
    const outputs = [...new Set(all(run, 'compaction.end').map((e) => `L${e.outputLevel}`))];
    parts.push(
      t('lessons:explain.twins.run', {
        run: i === 0 ? t('lessons:explain.twins.first') : t('lessons:explain.twins.second'),
        strategy: strategyName(strategyOf(run)),
        flushed: t('lessons:n.table', { count: w.flushes }),
        flushBytes: w.flushBytes,
        compactions: t('lessons:n.compaction', { count: w.compactions }),
        into: outputs.length > 0 ? t('lessons:explain.into', { levels: list(outputs) }) : '',
        compactionBytes: w.compactionBytes,
        amplification: times(w.amplification),
        tables: t('lessons:n.table', { count: tables.length }),
        levels: list(levels.map((l) => `L${l}`)),
        l0,
      }),
    );
  });
  const [a, b] = runs.map((r) => bytesWritten(r).compactionBytes) as [number, number];
  parts.push(
    a === b
      ? t('lessons:explain.twins.same')
      : a < b
        ? t('lessons:explain.twins.firstFewer', { bytes: Math.abs(a - b) })
        : t('lessons:explain.twins.secondFewer', { bytes: Math.abs(a - b) }),
  );
  parts.push(t('lessons:explain.twins.tieredNote'));
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
    t('lessons:explain.writeAmp.flushed', { flushes: t('lessons:n.flush', { count: w.flushes }), bytes: w.flushBytes }),
    t('lessons:explain.writeAmp.compactions', {
      compactions: t('lessons:n.compaction', { count: w.compactions }),
      into: levels.length > 0 ? t('lessons:explain.into', { levels: list(levels) }) : '',
      trivial: trivial > 0 ? t('lessons:explain.writeAmp.trivial', { count: trivial }) : '',
      read: w.compactionRead,
      written: w.compactionBytes,
      dropped: t('lessons:n.olderVersion', { count: w.dropped }),
    }),
    t('lessons:explain.writeAmp.ratio', {
      perByte: (w.flushBytes === 0 ? 0 : w.compactionBytes / w.flushBytes).toFixed(2),
      amplification: times(w.amplification),
    }),
  ].join(' ');
}

/** A compactRange: what it read, what it wrote, and what that says about the space the tree had taken. */
export function explainSpace(events: readonly TimelineEvent[]): string {
  const w = bytesWritten(events);
  if (w.compactions === 0) return t('lessons:explain.space.none');
  const ends = all(events, 'compaction.end');
  const shadowed = ends.reduce((s, e) => s + e.droppedShadowed, 0);
  const tombstones = ends.reduce((s, e) => s + e.droppedTombstones, 0);
  const outputs = ends.at(-1)!;
  return [
    t('lessons:explain.space.ran', {
      compactions: t('lessons:n.compaction', { count: w.compactions }),
      read: w.compactionRead,
      written: w.compactionBytes,
      overwritten: t('lessons:n.overwrittenVersion', { count: shadowed }),
      tombstones: t('lessons:n.tombstone', { count: tombstones }),
    }),
    w.compactionBytes > 0
      ? t('lessons:explain.space.ratio', { ratio: (w.compactionRead / w.compactionBytes).toFixed(1) })
      : '',
    t('lessons:explain.space.last', { outputs: list(outputs.outputs), level: outputs.outputLevel }),
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
      released.live.length === 0
        ? t('lessons:explain.versions.releasedNone', { seq: released.seq })
        : t('lessons:explain.versions.released', { seq: released.seq, live: list(released.live.map(String)) }),
    );
  const ends = all(events, 'compaction.end');
  if (ends.length === 0) parts.push(t('lessons:explain.versions.none'));
  for (const end of ends) {
    const dropped = end.dropped ?? [];
    const named = dropped.map((d) =>
      d.why === 'tombstone'
        ? t('lessons:explain.versions.namedTombstone', { key: text(d.key), seq: d.seq })
        : t('lessons:explain.versions.namedOverwritten', { key: text(d.key), seq: d.seq }),
    );
    const what =
      end.droppedShadowed + end.droppedTombstones === 0
        ? t('lessons:explain.versions.nothing')
        : t('lessons:explain.versions.counts', {
            overwritten: t('lessons:n.overwrittenVersion', { count: end.droppedShadowed }),
            tombstones: t('lessons:n.tombstone', { count: end.droppedTombstones }),
          });
    const facts = { inputs: list(end.inputs), outputs: list(end.outputs), level: end.outputLevel, what };
    parts.push(
      named.length > 0
        ? t('lessons:explain.versions.compactedNamed', { ...facts, named: list(named) })
        : t('lessons:explain.versions.compacted', facts),
    );
    // Said once, with the snapshots that kept them, where the engine reported those (snapshot.kept, below).
    if (end.keptForSnapshots > 0 && !find(events, 'snapshot.kept'))
      parts.push(
        t('lessons:explain.versions.keptAlive', {
          versions: t('lessons:n.olderVersion', { count: end.keptForSnapshots }),
        }),
      );
  }
  for (const kept of all(events, 'snapshot.kept')) {
    const facts = {
      versions: t('lessons:n.olderVersion', { count: kept.versions }),
      snapshots: list(kept.snapshots.map(String)),
    };
    // One message per (who kept, how many snapshots); the count of versions picks "it" or "them".
    const many = kept.snapshots.length !== 1;
    parts.push(
      kept.by === 'flush'
        ? many
          ? t('lessons:explain.versions.flushKeptMany', { ...facts, count: kept.versions })
          : t('lessons:explain.versions.flushKept', { ...facts, count: kept.versions })
        : many
          ? t('lessons:explain.versions.compactionKeptMany', { ...facts, count: kept.versions })
          : t('lessons:explain.versions.compactionKept', { ...facts, count: kept.versions }),
    );
  }
  const read = last(events, 'read.end');
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.versions.getFound', { key: text(read.key), value: text(read.value), source: read.source })
        : t('lessons:explain.versions.getNotFound', { key: text(read.key) }),
    );
  return parts.join(' ');
}

/** Where compactRange wrote: the level it pushed every key into, and how deep the tree went before. */
export function explainBottom(events: readonly TimelineEvent[]): string {
  const end = last(events, 'compaction.end');
  const begins = all(events, 'compaction.begin');
  if (!end) return t('lessons:explain.versions.none');
  const deepest = Math.max(...begins.flatMap((b) => b.inputLevels));
  const parts = [explainVersions(events)];
  parts.push(
    deepest === end.outputLevel
      ? t('lessons:explain.bottom.already', { level: end.outputLevel })
      : t('lessons:explain.bottom.below', {
          levels: list([...new Set(begins.flatMap((b) => b.inputLevels))].map((l) => `L${l}`)),
          level: end.outputLevel,
        }),
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
  const parts = [
    flushed.length > 0
      ? t('lessons:explain.overlap.flushed', { files: list(flushed) })
      : t('lessons:explain.overlap.noFlush'),
  ];
  if (!begin || !end) return [...parts, t('lessons:explain.overlap.none')].join(' ');
  // The picker lists L0's files first (all of them: they overlap each other), then the overlapping ones below.
  const l0 = Number(/^L0 has (\d+) files/.exec(begin.reason)?.[1] ?? begin.inputs.length);
  const fromL0 = begin.inputs.slice(0, l0);
  const below = begin.inputs.slice(l0);
  parts.push(t('lessons:explain.overlap.began', { reason: begin.reason, files: list(fromL0) }));
  parts.push(
    below.length > 0
      ? t('lessons:explain.overlap.below', { level: end.outputLevel, files: list(below), count: below.length })
      : t('lessons:explain.overlap.noneBelow', { level: end.outputLevel }),
  );
  parts.push(
    t('lessons:explain.overlap.merged', {
      entries: t('lessons:n.entry', { count: end.entriesRead }),
      outputs: list(end.outputs),
      level: end.outputLevel,
    }),
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
    get title() {
      return t('lessons:compaction.title');
    },
    get topic() {
      return t('lessons:compaction.topic');
    },
    get note() {
      return t('lessons:compaction.note');
    },
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
        get text() {
          return t('lessons:compaction.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:compaction.s2.question');
        },
        choices: [
          {
            id: 'compact',
            get label() {
              return t('lessons:compaction.s2.choices.compact');
            },
          },
          {
            id: 'nothing',
            get label() {
              return t('lessons:compaction.s2.choices.nothing');
            },
          },
        ],
        get button() {
          return t('lessons:compaction.s2.button');
        },
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
        get text() {
          return t('lessons:compaction.s3.text');
        },
        get button() {
          return t('lessons:compaction.s3.button');
        },
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
        get question() {
          return t('lessons:compaction.s4.question');
        },
        target: 'table',
        get button() {
          return t('lessons:compaction.s4.button');
        },
        actions: [{ op: 'put', key: 'user:16', value: 'Ken' }, { op: 'flush' }],
        answer: tablesCompacted,
        explanation: explainOverlap,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:compaction.s5.text');
        },
      },
    ],
  },
  {
    id: 'tiered',
    get title() {
      return t('lessons:tiered.title');
    },
    get topic() {
      return t('lessons:tiered.topic');
    },
    get note() {
      return t('lessons:tiered.note');
    },
    setup: setup([], { memtableBytes: 1024 }),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:tiered.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:tiered.s2.question');
        },
        choices: [
          {
            id: 'tiered',
            get label() {
              return t('lessons:tiered.s2.choices.tiered');
            },
          },
          {
            id: 'leveled',
            get label() {
              return t('lessons:tiered.s2.choices.leveled');
            },
          },
          {
            id: 'same',
            get label() {
              return t('lessons:tiered.s2.choices.same');
            },
          },
        ],
        get button() {
          return t('lessons:tiered.s2.button');
        },
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
        get question() {
          return t('lessons:tiered.s3.question');
        },
        choices: [
          {
            id: 'several',
            get label() {
              return t('lessons:tiered.s3.choices.several');
            },
          },
          {
            id: 'one',
            get label() {
              return t('lessons:tiered.s3.choices.one');
            },
          },
        ],
        get button() {
          return t('lessons:tiered.s3.button');
        },
        actions: [{ op: 'get', key: 'key:00000042' }],
        outcome: (events) => (all(events, 'read.sstable').length > 1 ? 'several' : 'one'),
        explanation: explainRead,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:tiered.s4.text');
        },
      },
    ],
  },
  {
    id: 'amplification',
    get title() {
      return t('lessons:amplification.title');
    },
    get topic() {
      return t('lessons:amplification.topic');
    },
    get note() {
      return t('lessons:amplification.note');
    },
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:amplification.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:amplification.s2.question');
        },
        choices: [
          {
            id: 'more',
            get label() {
              return t('lessons:amplification.s2.choices.more');
            },
          },
          {
            id: 'less',
            get label() {
              return t('lessons:amplification.s2.choices.less');
            },
          },
        ],
        get button() {
          return t('lessons:amplification.s2.button');
        },
        actions: [{ op: 'workload', spec: HOT_WORKLOAD }],
        outcome: (events) => {
          const w = bytesWritten(events);
          return w.compactionBytes >= w.flushBytes ? 'more' : 'less';
        },
        explanation: explainWriteAmplification,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:amplification.s3.question');
        },
        choices: [
          {
            id: 'half',
            get label() {
              return t('lessons:amplification.s3.choices.half');
            },
          },
          {
            id: 'most',
            get label() {
              return t('lessons:amplification.s3.choices.most');
            },
          },
        ],
        get button() {
          return t('lessons:amplification.s3.button');
        },
        actions: [{ op: 'compact' }],
        outcome: (events) => {
          const w = bytesWritten(events);
          return w.compactionBytes * 2 < w.compactionRead ? 'half' : 'most';
        },
        explanation: explainSpace,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:amplification.s4.question');
        },
        choices: [
          {
            id: 'one',
            get label() {
              return t('lessons:amplification.s4.choices.one');
            },
          },
          {
            id: 'several',
            get label() {
              return t('lessons:amplification.s4.choices.several');
            },
          },
        ],
        get button() {
          return t('lessons:amplification.s4.button');
        },
        actions: [{ op: 'get', key: 'key:00000003' }],
        outcome: (events) => (all(events, 'read.sstable').length > 1 ? 'several' : 'one'),
        explanation: explainRead,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:amplification.s5.text');
        },
      },
    ],
  },
  {
    id: 'compact-range',
    get title() {
      return t('lessons:compact-range.title');
    },
    get topic() {
      return t('lessons:compact-range.topic');
    },
    get note() {
      return t('lessons:compact-range.note');
    },
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
        get text() {
          return t('lessons:compact-range.s1.text');
        },
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:compact-range.s2.text');
        },
        get button() {
          return t('lessons:compact-range.s2.button');
        },
        actions: [
          { op: 'snapshot' },
          { op: 'put', key: 'user:3', value: 'v2' },
          { op: 'delete', key: 'user:4' },
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:compact-range.s3.question');
        },
        choices: [
          {
            id: 'kept',
            get label() {
              return t('lessons:compact-range.s3.choices.kept');
            },
          },
          {
            id: 'dropped',
            get label() {
              return t('lessons:compact-range.s3.choices.dropped');
            },
          },
        ],
        get button() {
          return t('lessons:compact-range.s3.button');
        },
        actions: [{ op: 'compact' }, { op: 'get', key: 'user:3', at: 'snapshot' }],
        outcome: (events) => {
          const read = last(events, 'read.end');
          return read?.found && text(read.value) === 'v1' ? 'kept' : 'dropped';
        },
        explanation: explainVersions,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:compact-range.s4.question');
        },
        choices: [
          {
            id: 'dropped',
            get label() {
              return t('lessons:compact-range.s4.choices.dropped');
            },
          },
          {
            id: 'kept',
            get label() {
              return t('lessons:compact-range.s4.choices.kept');
            },
          },
        ],
        get button() {
          return t('lessons:compact-range.s4.button');
        },
        actions: [{ op: 'release', seq: 'oldest' }, { op: 'compact' }],
        outcome: (events) =>
          all(events, 'compaction.end').some((e) => e.droppedShadowed + e.droppedTombstones > 0) ? 'dropped' : 'kept',
        explanation: explainVersions,
      },
      {
        kind: 'pick',
        get question() {
          return t('lessons:compact-range.s5.question');
        },
        target: 'level',
        single: true,
        get button() {
          return t('lessons:compact-range.s5.button');
        },
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

export const COMPACTION: Chapter = {
  id: 'compaction',
  get title() {
    return t('lessons:chapters.compaction');
  },
  lessons: LESSONS,
};
