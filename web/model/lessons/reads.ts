import { t } from '../../i18n';
import type { TimelineEvent } from '../timeline';
import { explainDelete, explainRead } from './explain';
import { all, type Chapter, find, type Lesson, last, list, puts, setup, text } from './lesson';

/** A source of a read as a sentence names it. */
const where = (source: string) => (source === 'memtable' ? t('lessons:explain.theMemtable') : source);
const seqs = (seqs: number[]) => list(seqs.map((s) => `#${s}`));

/** Each merge step of a scan, as the engine reported it: the winner, and what it passed over. */
function mergeSteps(events: readonly TimelineEvent[]): string[] {
  return all(events, 'scan.step').map((step) => {
    const facts = { key: text(step.key), value: text(step.value), source: where(step.source), seq: step.seq };
    const won = step.op === 'put' ? t('lessons:explain.scan.put', facts) : t('lessons:explain.scan.tombstone', facts);
    const passed = step.skipped.map((v) =>
      v.why === 'invisible'
        ? t('lessons:explain.scan.skippedInvisible', { seq: v.seq, source: where(v.source) })
        : t('lessons:explain.scan.skipped', { seq: v.seq, source: where(v.source) }),
    );
    return passed.length > 0 ? t('lessons:explain.scan.passing', { won, passed: list(passed) }) : won;
  });
}

/** What a scan did: the sources it merged, each step, and what it returned. */
export function explainScan(events: readonly TimelineEvent[]): string {
  const begin = find(events, 'scan.begin');
  const end = last(events, 'scan.end');
  if (!begin || !end) return t('lessons:explain.scan.none');
  const steps = mergeSteps(events);
  return [
    t('lessons:explain.scan.opened', {
      sources: t('lessons:n.sortedSource', { count: begin.sources.length }),
      names: list(begin.sources.map(where)),
    }),
    steps.length > 0 ? `${steps.join('; ')}.` : t('lessons:explain.scan.empty'),
    t('lessons:explain.scan.returned', {
      pairs: t('lessons:n.pair', { count: end.count }),
      older: t('lessons:n.olderVersion', { count: end.shadowed }),
      deleted: t('lessons:n.deletedKey', { count: end.tombstones }),
    }),
  ].join(' ');
}

/** A Get at a snapshot: the write that came after it, the version the memtable kept, and the answer. */
export function explainSnapshotRead(events: readonly TimelineEvent[]): string {
  const begin = find(events, 'read.begin');
  const end = last(events, 'read.end');
  if (!begin || !end) return t('lessons:explain.snapshot.none');
  const insert = all(events, 'memtable.insert').find((e) => e.key === begin.key);
  const parts: string[] = [];
  if (insert) {
    const kept = insert.older?.filter((v) => v.seenBy.length > 0) ?? [];
    parts.push(
      begin.at !== undefined
        ? t('lessons:explain.snapshot.putAfter', { value: text(insert.value), seq: insert.seq, at: begin.at })
        : t('lessons:explain.snapshot.put', { value: text(insert.value), seq: insert.seq }),
      kept.length > 0
        ? t('lessons:explain.snapshot.kept', {
            versions: list(
              kept.map((v) =>
                t('lessons:explain.snapshot.seenBy', {
                  value: text(v.value),
                  seq: v.seq,
                  snapshots: v.seenBy.map((s) => `#${s}`).join(', '),
                }),
              ),
            ),
          })
        : t('lessons:explain.snapshot.keptNone'),
    );
  }
  const memtable = find(events, 'read.memtable');
  const at =
    begin.at === undefined ? t('lessons:explain.snapshot.get') : t('lessons:explain.snapshot.getAt', { at: begin.at });
  const answer = { at, value: text(end.value), source: where(end.source ?? ''), seq: memtable?.seq };
  parts.push(
    end.found
      ? memtable?.seq !== undefined && end.source === 'memtable'
        ? t('lessons:explain.snapshot.answeredVersion', answer)
        : t('lessons:explain.snapshot.answered', answer)
      : t('lessons:explain.snapshot.nothing', { at }),
  );
  return parts.join(' ');
}

/** What a flush or compaction kept for snapshots, and what it dropped, as snapshot.kept and compaction.end say. */
export function explainKept(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  const release = find(events, 'snapshot.release');
  if (release)
    parts.push(
      release.live.length === 0
        ? t('lessons:explain.kept.releasedNone', { seq: release.seq })
        : t('lessons:explain.kept.released', { seq: release.seq, live: seqs(release.live) }),
    );
  for (const written of all(events, 'sstable.write')) {
    parts.push(
      t('lessons:explain.kept.written', {
        file: written.table.file,
        entries: t('lessons:n.entry', { count: written.table.entries }),
      }),
    );
  }
  const kept = all(events, 'snapshot.kept');
  for (const k of kept) {
    const named = (k.shown ?? []).map((v) =>
      t('lessons:explain.kept.version', { key: text(v.key), value: text(v.value), seq: v.seq, file: v.file }),
    );
    const facts = {
      versions: t('lessons:n.olderVersion', { count: k.versions }),
      snapshots: seqs(k.snapshots),
      named: list(named),
    };
    parts.push(
      k.by === 'flush'
        ? named.length
          ? t('lessons:explain.kept.byFlushNamed', facts)
          : t('lessons:explain.kept.byFlush', facts)
        : named.length
          ? t('lessons:explain.kept.byCompactionNamed', facts)
          : t('lessons:explain.kept.byCompaction', facts),
    );
  }
  for (const end of all(events, 'compaction.end')) {
    const dropped = (end.dropped ?? []).filter((d) => d.why === 'shadowed');
    const facts = {
      entries: t('lessons:n.entry', { count: end.entriesRead }),
      written: end.entriesWritten,
      dropped: list(dropped.map((d) => `${text(d.key)} #${d.seq}`)),
    };
    parts.push(
      end.entriesRead === 0
        ? t('lessons:explain.kept.moved', { outputs: list(end.outputs), level: end.outputLevel })
        : dropped.length
          ? t('lessons:explain.kept.compactedDropping', { ...facts, count: dropped.length })
          : t('lessons:explain.kept.compacted', facts),
    );
  }
  if (kept.length === 0 && all(events, 'sstable.write').length > 0) parts.push(t('lessons:explain.kept.nothingKept'));
  return parts.length > 0 ? parts.join(' ') : t('lessons:explain.kept.nothingWritten');
}

/** The SSTables a Get read a data block of: what its read.block events name. */
const blocksReadFrom = (events: readonly TimelineEvent[]) => [...new Set(all(events, 'read.block').map((e) => e.file))];

/** What a compaction to the last level did with a tombstone and the value under it, and what a Get then met. */
function explainReclaim(events: readonly TimelineEvent[]): string {
  const ends = all(events, 'compaction.end');
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const read = last(events, 'read.end');
  if (ends.length === 0) return t('lessons:explain.reclaim.none');
  const parts: string[] = [];
  if (flushed.length > 0) parts.push(t('lessons:explain.reclaim.flushed', { files: list(flushed) }));
  for (const end of ends)
    parts.push(
      t('lessons:explain.reclaim.compaction', {
        inputs: list(end.inputs),
        outputs: end.outputs.length > 0 ? list(end.outputs) : t('lessons:explain.reclaim.noFile'),
        level: end.outputLevel,
        entries: t('lessons:n.entry', { count: end.entriesRead }),
        kept: end.entriesWritten,
        tombstones: t('lessons:n.tombstone', { count: end.droppedTombstones }),
        older: t('lessons:n.olderVersion', { count: end.droppedShadowed }),
      }),
    );
  const dropped = ends
    .flatMap((e) => e.dropped ?? [])
    .map((d) =>
      d.why === 'shadowed'
        ? t('lessons:explain.reclaim.droppedShadowed', { key: text(d.key), seq: d.seq })
        : t('lessons:explain.reclaim.droppedTombstone', { key: text(d.key), seq: d.seq }),
    );
  if (dropped.length > 0) parts.push(t('lessons:explain.reclaim.dropped', { dropped: list(dropped) }));
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.reclaim.found', { value: text(read.value) })
        : t('lessons:explain.reclaim.notFound', { key: text(read.key) }),
    );
  return parts.join(' ');
}

const LESSONS: Lesson[] = [
  {
    id: 'read-path',
    get title() {
      return t('lessons:read-path.title');
    },
    get topic() {
      return t('lessons:read-path.topic');
    },
    get note() {
      return t('lessons:read-path.note');
    },
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:read-path.s1.text');
        },
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:read-path.s2.text');
        },
        get button() {
          return t('lessons:read-path.s2.button');
        },
        actions: [
          ...puts(['user:10', 'user:30', 'user:50'], 'Edsger'),
          { op: 'flush' },
          ...puts(['user:20', 'user:40', 'user:60'], 'Barbara'),
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:read-path.s3.question');
        },
        choices: [
          {
            id: 'none',
            get label() {
              return t('lessons:read-path.s3.choices.none');
            },
          },
          {
            id: 'one',
            get label() {
              return t('lessons:read-path.s3.choices.one');
            },
          },
          {
            id: 'two',
            get label() {
              return t('lessons:read-path.s3.choices.two');
            },
          },
        ],
        get button() {
          return t('lessons:read-path.s3.button');
        },
        actions: [{ op: 'get', key: 'user:35' }],
        outcome: (events) => {
          const blocks = last(events, 'read.end')?.blocksRead ?? -1;
          return blocks === 0 ? 'none' : blocks === 1 ? 'one' : 'two';
        },
        explanation: explainRead,
      },
      {
        kind: 'pick',
        get question() {
          return t('lessons:read-path.s4.question');
        },
        target: 'table',
        get button() {
          return t('lessons:read-path.s4.button');
        },
        actions: [{ op: 'get', key: 'user:50' }],
        answer: blocksReadFrom,
        explanation: explainRead,
      },
    ],
  },
  {
    id: 'tombstones',
    get title() {
      return t('lessons:tombstones.title');
    },
    get topic() {
      return t('lessons:tombstones.topic');
    },
    get note() {
      return t('lessons:tombstones.note');
    },
    // user:10 in an SSTable, and nothing in the memtable: the question says so.
    setup: setup([...puts(['user:10', 'user:20'], 'Edsger'), { op: 'flush' }]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:tombstones.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:tombstones.s2.question');
        },
        choices: [
          {
            id: 'memtable',
            get label() {
              return t('lessons:tombstones.s2.choices.memtable');
            },
          },
          {
            id: 'sstable',
            get label() {
              return t('lessons:tombstones.s2.choices.sstable');
            },
          },
        ],
        get button() {
          return t('lessons:tombstones.s2.button');
        },
        actions: [
          { op: 'delete', key: 'user:10' },
          { op: 'get', key: 'user:10' },
        ],
        outcome: (events) =>
          events.some((e) => e.type === 'memtable.insert' && e.op === 'delete') ? 'memtable' : 'sstable',
        explanation: explainDelete,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:tombstones.s3.question');
        },
        choices: [
          {
            id: 'both',
            get label() {
              return t('lessons:tombstones.s3.choices.both');
            },
          },
          {
            id: 'tombstone',
            get label() {
              return t('lessons:tombstones.s3.choices.tombstone');
            },
          },
          {
            id: 'neither',
            get label() {
              return t('lessons:tombstones.s3.choices.neither');
            },
          },
        ],
        get button() {
          return t('lessons:tombstones.s3.button');
        },
        actions: [{ op: 'compact' }, { op: 'get', key: 'user:10' }],
        outcome: (events) => {
          const ends = all(events, 'compaction.end');
          const tombstones = ends.reduce((n, e) => n + e.droppedTombstones, 0);
          const shadowed = ends.reduce((n, e) => n + e.droppedShadowed, 0);
          return tombstones > 0 && shadowed > 0 ? 'both' : tombstones === 0 ? 'tombstone' : 'neither';
        },
        explanation: explainReclaim,
      },
    ],
  },
  {
    id: 'merge-iterator',
    get title() {
      return t('lessons:merge-iterator.title');
    },
    get topic() {
      return t('lessons:merge-iterator.topic');
    },
    get note() {
      return t('lessons:merge-iterator.note');
    },
    // Two SSTables and the memtable, each holding some of user:1..3, user:1 and user:3 twice.
    setup: setup([
      ...puts(['user:1', 'user:3'], 'Ada'),
      { op: 'flush' },
      ...puts(['user:2', 'user:3'], 'Grace'),
      { op: 'flush' },
      ...puts(['user:1'], 'Alan'),
    ]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:merge-iterator.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:merge-iterator.s2.question');
        },
        choices: [
          {
            id: 'memtable',
            get label() {
              return t('lessons:merge-iterator.s2.choices.memtable');
            },
          },
          {
            id: 'sstable',
            get label() {
              return t('lessons:merge-iterator.s2.choices.sstable');
            },
          },
          {
            id: 'both',
            get label() {
              return t('lessons:merge-iterator.s2.choices.both');
            },
          },
        ],
        get button() {
          return t('lessons:merge-iterator.s2.button');
        },
        actions: [{ op: 'scan', start: '', end: '' }],
        outcome: (events) => {
          const steps = all(events, 'scan.step').filter((s) => text(s.key) === 'user:1');
          if (steps.length > 1) return 'both';
          return steps[0]?.source === 'memtable' ? 'memtable' : 'sstable';
        },
        explanation: explainScan,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:merge-iterator.s3.question');
        },
        choices: [
          {
            id: 'two',
            get label() {
              return t('lessons:merge-iterator.s3.choices.two');
            },
          },
          {
            id: 'three',
            get label() {
              return t('lessons:merge-iterator.s3.choices.three');
            },
          },
        ],
        get button() {
          return t('lessons:merge-iterator.s3.button');
        },
        actions: [
          { op: 'delete', key: 'user:2' },
          { op: 'scan', start: '', end: '' },
        ],
        outcome: (events) => {
          const count = last(events, 'scan.end')?.count ?? -1;
          return count === 2 ? 'two' : count === 3 ? 'three' : String(count);
        },
        explanation: explainScan,
      },
    ],
  },
  {
    id: 'snapshots',
    get title() {
      return t('lessons:snapshots.title');
    },
    get topic() {
      return t('lessons:snapshots.topic');
    },
    get note() {
      return t('lessons:snapshots.note');
    },
    setup: setup([...puts(['user:1'], 'Ada'), ...puts(['user:2'], 'Grace')]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:snapshots.s1.text');
        },
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:snapshots.s2.text');
        },
        get button() {
          return t('lessons:snapshots.s2.button');
        },
        actions: [{ op: 'snapshot' }],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:snapshots.s3.question');
        },
        choices: [
          {
            id: 'old',
            get label() {
              return t('lessons:snapshots.s3.choices.old');
            },
          },
          {
            id: 'new',
            get label() {
              return t('lessons:snapshots.s3.choices.new');
            },
          },
          {
            id: 'none',
            get label() {
              return t('lessons:snapshots.s3.choices.none');
            },
          },
        ],
        get button() {
          return t('lessons:snapshots.s3.button');
        },
        actions: [
          { op: 'put', key: 'user:1', value: 'Alan' },
          { op: 'get', key: 'user:1', at: 'snapshot' },
        ],
        outcome: (events) => {
          const end = last(events, 'read.end');
          const written = find(events, 'memtable.insert');
          if (!end?.found) return 'none';
          return end.value === written?.value ? 'new' : 'old';
        },
        explanation: explainSnapshotRead,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:snapshots.s4.question');
        },
        choices: [
          {
            id: 'kept',
            get label() {
              return t('lessons:snapshots.s4.choices.kept');
            },
          },
          {
            id: 'dropped',
            get label() {
              return t('lessons:snapshots.s4.choices.dropped');
            },
          },
        ],
        get button() {
          return t('lessons:snapshots.s4.button');
        },
        actions: [{ op: 'flush' }],
        outcome: (events) =>
          all(events, 'snapshot.kept').some((k) => (k.shown ?? []).some((v) => text(v.key) === 'user:1'))
            ? 'kept'
            : 'dropped',
        explanation: explainKept,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:snapshots.s5.question');
        },
        choices: [
          {
            id: 'dropped',
            get label() {
              return t('lessons:snapshots.s5.choices.dropped');
            },
          },
          {
            id: 'kept',
            get label() {
              return t('lessons:snapshots.s5.choices.kept');
            },
          },
        ],
        get button() {
          return t('lessons:snapshots.s5.button');
        },
        actions: [{ op: 'release', seq: 'oldest' }, { op: 'compact' }],
        outcome: (events) =>
          all(events, 'compaction.end').some((e) =>
            (e.dropped ?? []).some((d) => text(d.key) === 'user:1' && d.why === 'shadowed'),
          )
            ? 'dropped'
            : 'kept',
        explanation: explainKept,
      },
    ],
  },
];

export const READS: Chapter = {
  id: 'reads',
  get title() {
    return t('lessons:chapters.reads');
  },
  lessons: LESSONS,
};
