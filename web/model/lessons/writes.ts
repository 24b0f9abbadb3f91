// Chapter 1, Writes: the WAL and the memtable, the durability a write is acknowledged with, and the batch record
// with its checksum. Every reveal is told from the events of what the engine just did (see lesson.ts); its sentences
// are messages with the engine's facts as parameters, so each language keeps its own word order.
import { t } from '../../i18n';
import type { TimelineEvent } from '../timeline';
import { explainWritePath } from './explain';
import { all, type Chapter, find, first, type Lesson, last, list, puts, setup, text } from './lesson';

/** Where a WAL record is on the picture: the id a 'wal-record' pick points at. */
export const walRecordId = (file: string, offset: number) => `${file}@${offset}`;

/** The arrival order in the WAL against the key order in the memtable, for the writes of one step. */
export function explainLogOrder(events: readonly TimelineEvent[]): string {
  const appends = all(events, 'wal.append');
  if (appends.length === 0) return t('lessons:explain.logOrder.none');
  const parts = [
    t('lessons:explain.logOrder.took', {
      records: list(
        appends.map((a) => t('lessons:explain.logOrder.record', { key: text(a.key), offset: a.offset, file: a.file })),
      ),
    }),
  ];
  for (const insert of all(events, 'memtable.insert')) {
    // The search's last stop before the new node is the key it now follows in the list (the head: none).
    const before = (insert.path ?? []).filter((p) => p.key !== null && p.key !== insert.key).at(-1);
    parts.push(
      before
        ? t('lessons:explain.logOrder.after', { key: text(insert.key), before: text(before.key) })
        : t('lessons:explain.logOrder.first', { key: text(insert.key) }),
    );
  }
  parts.push(t('lessons:explain.logOrder.orders'));
  return parts.join(' ');
}

/** Where a skip list search stood, lane by lane: "the head on lane 2, user:40 on lane 2, user:40 on lane 0". */
function describePath(path: NonNullable<Extract<TimelineEvent, { type: 'memtable.insert' }>['path']>): string {
  return path
    .map((p) =>
      p.key === null
        ? t('lessons:explain.skip.headOnLane', { lane: p.lane })
        : t('lessons:explain.skip.keyOnLane', { key: text(p.key), lane: p.lane }),
    )
    .join(', ');
}

/** The keys a search stood at, the head left out: the memtable rows it passed through. */
export const pathKeys = (path: ReadonlyArray<{ key: string | null }> | undefined): string[] => [
  ...new Set((path ?? []).flatMap((p) => (p.key === null ? [] : [p.key]))),
];

/** Did the search move right along a lane above the bottom one (and so skip keys below it)? */
const skipped = (path: ReadonlyArray<{ lane: number; key: string | null }>) =>
  path.some((p, i) => i > 0 && p.lane > 0 && p.key !== null && path[i - 1]!.lane === p.lane);

/** The search that found a new key's place in the skip list, as the insert event reports it. */
export function explainSkipInsert(events: readonly TimelineEvent[]): string {
  const insert = last(events, 'memtable.insert');
  if (!insert) return t('lessons:explain.skip.noInsert');
  if (!insert.path) return t('lessons:explain.skip.tooLarge', { key: text(insert.key) });
  const others = insert.entries - 1;
  const stood = pathKeys(insert.path).filter((k) => k !== insert.key);
  const parts = [
    t('lessons:explain.skip.searchStood', { key: text(insert.key), path: describePath(insert.path) }),
    stood.length > 0
      ? t('lessons:explain.skip.stoodAtSome', {
          others: t('lessons:n.key', { count: others }),
          stood: t('lessons:n.key', { count: stood.length }),
          keys: list(stood.map(text)),
        })
      : t('lessons:explain.skip.stoodAtNone', {
          others: t('lessons:n.key', { count: others }),
          stood: t('lessons:n.key', { count: stood.length }),
        }),
  ];
  parts.push(skipped(insert.path) ? t('lessons:explain.skip.skipped') : t('lessons:explain.skip.walked'));
  if (insert.height !== undefined)
    parts.push(t('lessons:explain.skip.tower', { key: text(insert.key), count: insert.height }));
  return parts.join(' ');
}

/** A Get's search in the memtable's skip list. */
export function explainSkipGet(events: readonly TimelineEvent[]): string {
  const read = last(events, 'read.memtable');
  if (!read) return t('lessons:explain.skip.noGet');
  const keys = pathKeys(read.path);
  const verdict =
    read.found === 'absent'
      ? t('lessons:explain.skip.notFound')
      : read.found === 'value'
        ? t('lessons:explain.skip.foundIt')
        : t('lessons:explain.skip.foundTombstone');
  return read.path
    ? t('lessons:explain.skip.get', {
        key: text(read.key),
        path: describePath(read.path),
        verdict,
        rows: t('lessons:n.row', { count: keys.length }),
        keys: list(keys.map(text)),
        count: keys.length,
      })
    : t('lessons:explain.skip.getNoPath', { key: text(read.key), verdict });
}

/** What a power loss (or crash) took, against what the WAL had made durable: the replayed records, by key. */
export function explainPowerLoss(events: readonly TimelineEvent[]): string {
  const crash = find(events, 'crash');
  const begin = find(events, 'recovery.begin');
  const replays = all(events, 'recovery.replay');
  const torn = all(events, 'recovery.torn-tail');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  if (crash)
    parts.push(
      crash.kind === 'power'
        ? t('lessons:explain.powerLoss.wipedPower', { count: crash.memtableEntries })
        : t('lessons:explain.powerLoss.wipedCrash', { count: crash.memtableEntries }),
    );
  const logs = begin?.files.filter((f) => f.file.endsWith('.log')) ?? [];
  if (logs.length > 0)
    parts.push(
      t('lessons:explain.powerLoss.onDisk', {
        files: list(logs.map((f) => t('lessons:explain.powerLoss.held', { file: f.file, size: f.size }))),
      }),
    );
  parts.push(
    replays.length > 0
      ? t('lessons:explain.powerLoss.replayed', {
          count: replays.length,
          records: list(
            replays.map((r) => t('lessons:explain.powerLoss.keyAtByte', { key: text(r.key), offset: r.offset })),
          ),
        })
      : t('lessons:explain.powerLoss.noReplay'),
  );
  for (const tail of torn)
    parts.push(
      t('lessons:explain.powerLoss.torn', { file: tail.file, offset: tail.offset, dropped: tail.droppedBytes }),
    );
  if (crash && crash.memtableEntries > replays.length)
    parts.push(t('lessons:explain.powerLoss.lost', { count: crash.memtableEntries - replays.length }));
  else if (crash) parts.push(t('lessons:explain.powerLoss.allBack'));
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.getFound', { key: text(read.key), value: text(read.value) })
        : t('lessons:explain.getNotFound', { key: text(read.key) }),
    );
  return parts.join(' ');
}

/** How the writes of a step were acknowledged: records appended, and the flushes that made them durable. */
export function explainAcknowledged(events: readonly TimelineEvent[]): string {
  const appends = all(events, 'wal.append');
  const flushes = all(events, 'wal.flush');
  if (appends.length === 0) return t('lessons:explain.acknowledged.none');
  const file = appends[0]!.file;
  const keys = list(appends.map((a) => text(a.key)));
  return flushes.length === 0
    ? t('lessons:explain.acknowledged.noFlush', { count: appends.length, file, keys })
    : t('lessons:explain.acknowledged.flushed', {
        count: appends.length,
        file,
        keys,
        flushes: t('lessons:n.walFlush', { count: flushes.length }),
        size: flushes.at(-1)!.size,
      });
}

/** A batch's WAL record(s) and the memtable inserts it became. */
export function explainBatch(events: readonly TimelineEvent[]): string {
  const batches = all(events, 'wal.batch');
  const appends = all(events, 'wal.append');
  const inserts = all(events, 'memtable.insert');
  const flushes = all(events, 'wal.flush');
  const parts: string[] = [];
  for (const b of batches)
    parts.push(
      t('lessons:explain.batch.record', {
        length: b.length,
        offset: b.offset,
        file: b.file,
        count: b.writes.length,
        writes: list(
          b.writes.map((w) =>
            w.op === 'put'
              ? t('lessons:explain.batch.put', { key: text(w.key) })
              : t('lessons:explain.batch.delete', { key: text(w.key) }),
          ),
        ),
        first: b.seq,
        last: b.seq + b.writes.length - 1,
      }),
    );
  if (appends.length > 0) parts.push(t('lessons:explain.batch.singles', { count: appends.length }));
  if (flushes.length > 0) parts.push(t('lessons:explain.batch.flushes', { count: flushes.length }));
  if (inserts.length > 0) parts.push(t('lessons:explain.batch.inserts', { count: inserts.length }));
  parts.push(t('lessons:explain.batch.atomic'));
  return parts.join(' ');
}

/** What recovery made of a WAL with a flipped byte: the records it replayed, where it stopped and why. */
export function explainChecksum(events: readonly TimelineEvent[]): string {
  const replays = all(events, 'recovery.replay');
  const torn = all(events, 'recovery.torn-tail');
  const corrupt = all(events, 'corruption');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  parts.push(
    replays.length > 0
      ? t('lessons:explain.checksum.replayed', {
          count: replays.length,
          records: list(
            replays.map((r) =>
              r.batch
                ? t('lessons:explain.checksum.batchAt', { count: r.batch, offset: r.offset })
                : t('lessons:explain.checksum.keyAt', { key: text(r.key), offset: r.offset }),
            ),
          ),
        })
      : t('lessons:explain.checksum.noReplay'),
  );
  for (const tail of torn)
    parts.push(
      t('lessons:explain.checksum.torn', { file: tail.file, offset: tail.offset, dropped: tail.droppedBytes }),
    );
  for (const c of corrupt)
    parts.push(t('lessons:explain.checksum.corruption', { file: c.file, offset: c.offset, detail: c.detail }));
  if (torn.length === 0 && corrupt.length === 0) parts.push(t('lessons:explain.checksum.allGood'));
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.getFound', { key: text(read.key), value: text(read.value) })
        : t('lessons:explain.checksum.getNone', { key: text(read.key) }),
    );
  return parts.join(' ');
}

/** The skip list lesson's keys: five rows, enough for a tower to skip over, few enough to stay in the picture. */
const SKIP_KEYS = ['user:10', 'user:20', 'user:30', 'user:40', 'user:50'];

/** The batch lesson's batch: two puts and a delete, one record. */
const BATCH = [
  { key: 'user:2', value: 'Grace' },
  { key: 'user:1', value: null },
  { key: 'user:3', value: 'Alan' },
];

const LESSONS: Lesson[] = [
  {
    id: 'write-path',
    get title() {
      return t('lessons:write-path.title');
    },
    get topic() {
      return t('lessons:write-path.topic');
    },
    get note() {
      return t('lessons:write-path.note');
    },
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:write-path.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:write-path.s2.question');
        },
        choices: [
          {
            id: 'wal',
            get label() {
              return t('lessons:write-path.s2.choices.wal');
            },
          },
          {
            id: 'memtable',
            get label() {
              return t('lessons:write-path.s2.choices.memtable');
            },
          },
          {
            id: 'sstable',
            get label() {
              return t('lessons:write-path.s2.choices.sstable');
            },
          },
        ],
        get button() {
          return t('lessons:write-path.s2.button');
        },
        actions: [{ op: 'put', key: 'user:1', value: 'Ada' }],
        outcome: (events) => {
          const type = first(events, ['wal.append', 'memtable.insert', 'sstable.write']);
          return type === 'wal.append' ? 'wal' : type === 'memtable.insert' ? 'memtable' : 'sstable';
        },
        explanation: explainWritePath,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:write-path.s3.question');
        },
        choices: [
          {
            id: 'end',
            get label() {
              return t('lessons:write-path.s3.choices.end');
            },
          },
          {
            id: 'sorted',
            get label() {
              return t('lessons:write-path.s3.choices.sorted');
            },
          },
        ],
        get button() {
          return t('lessons:write-path.s3.button');
        },
        actions: puts(['user:3', 'user:0'], 'Edsger'),
        outcome: (events) => {
          const [a, b] = all(events, 'wal.append');
          return a && b && b.offset > a.offset ? 'end' : 'sorted';
        },
        explanation: explainLogOrder,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:write-path.s4.text');
        },
      },
    ],
  },
  {
    id: 'skip-list',
    get title() {
      return t('lessons:skip-list.title');
    },
    get topic() {
      return t('lessons:skip-list.topic');
    },
    get note() {
      return t('lessons:skip-list.note');
    },
    setup: setup(puts(SKIP_KEYS, 'Ada')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:skip-list.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:skip-list.s2.question');
        },
        choices: [
          {
            id: 'walk',
            get label() {
              return t('lessons:skip-list.s2.choices.walk');
            },
          },
          {
            id: 'skip',
            get label() {
              return t('lessons:skip-list.s2.choices.skip');
            },
          },
        ],
        get button() {
          return t('lessons:skip-list.s2.button');
        },
        actions: [{ op: 'put', key: 'user:45', value: 'Grace' }],
        outcome: (events) => {
          const path = last(events, 'memtable.insert')?.path ?? [];
          return skipped(path) ? 'skip' : 'walk';
        },
        explanation: explainSkipInsert,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:skip-list.s3.question');
        },
        choices: [
          {
            id: 'yes',
            get label() {
              return t('lessons:skip-list.s3.choices.yes');
            },
          },
          {
            id: 'no',
            get label() {
              return t('lessons:skip-list.s3.choices.no');
            },
          },
        ],
        get button() {
          return t('lessons:skip-list.s3.button');
        },
        actions: [{ op: 'get', key: 'user:50' }],
        outcome: (events) =>
          pathKeys(last(events, 'read.memtable')?.path).some((k) => text(k) === 'user:20') ? 'yes' : 'no',
        explanation: explainSkipGet,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:skip-list.s4.text');
        },
      },
    ],
  },
  {
    id: 'durability',
    get title() {
      return t('lessons:durability.title');
    },
    get topic() {
      return t('lessons:durability.topic');
    },
    get note() {
      return t('lessons:durability.note');
    },
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:durability.s1.text');
        },
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:durability.s2.text');
        },
        get button() {
          return t('lessons:durability.s2.button');
        },
        actions: [
          { op: 'settings', changes: { durability: 'relaxed', groupCommitMs: 600_000 } },
          ...puts(['user:2', 'user:3'], 'Grace'),
        ],
      },
      {
        kind: 'pick',
        get question() {
          return t('lessons:durability.s3.question');
        },
        target: 'wal-record',
        get button() {
          return t('lessons:durability.s3.button');
        },
        actions: [{ op: 'crash', kind: 'power', seed: 7 }, { op: 'recover' }],
        answer: (events) => all(events, 'recovery.replay').map((r) => walRecordId(r.file, r.offset)),
        explanation: explainPowerLoss,
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:durability.s4.text');
        },
        get button() {
          return t('lessons:durability.s4.button');
        },
        actions: [{ op: 'settings', changes: { durability: 'group', groupCommitMs: 5 } }, ...puts(['user:4'], 'Alan')],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:durability.s5.question');
        },
        choices: [
          {
            id: 'yes',
            get label() {
              return t('lessons:durability.s5.choices.yes');
            },
          },
          {
            id: 'no',
            get label() {
              return t('lessons:durability.s5.choices.no');
            },
          },
        ],
        get button() {
          return t('lessons:durability.s5.button');
        },
        actions: [{ op: 'crash', kind: 'power', seed: 7 }, { op: 'recover' }, { op: 'get', key: 'user:4' }],
        outcome: (events) => (last(events, 'read.end')?.found ? 'yes' : 'no'),
        explanation: explainPowerLoss,
      },
    ],
  },
  {
    id: 'batch-checksum',
    get title() {
      return t('lessons:batch-checksum.title');
    },
    get topic() {
      return t('lessons:batch-checksum.topic');
    },
    get note() {
      return t('lessons:batch-checksum.note');
    },
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:batch-checksum.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:batch-checksum.s2.question');
        },
        choices: [
          {
            id: 'one',
            get label() {
              return t('lessons:batch-checksum.s2.choices.one');
            },
          },
          {
            id: 'three',
            get label() {
              return t('lessons:batch-checksum.s2.choices.three');
            },
          },
        ],
        get button() {
          return t('lessons:batch-checksum.s2.button');
        },
        actions: [{ op: 'batch', writes: BATCH }],
        outcome: (events) =>
          all(events, 'wal.batch').length === 1 && all(events, 'wal.append').length === 0 ? 'one' : 'three',
        explanation: explainBatch,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:batch-checksum.s3.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:batch-checksum.s4.question');
        },
        choices: [
          {
            id: 'all',
            get label() {
              return t('lessons:batch-checksum.s4.choices.all');
            },
          },
          {
            id: 'part',
            get label() {
              return t('lessons:batch-checksum.s4.choices.part');
            },
          },
          {
            id: 'none',
            get label() {
              return t('lessons:batch-checksum.s4.choices.none');
            },
          },
        ],
        get button() {
          return t('lessons:batch-checksum.s4.button');
        },
        // Byte 50: inside the batch's record (which starts at byte 34, after user:1's 34-byte record).
        actions: [
          { op: 'corrupt', file: '000002.log', offset: 50 },
          { op: 'crash', kind: 'process' },
          { op: 'recover' },
          { op: 'get', key: 'user:3' },
        ],
        outcome: (events) => {
          const batch = all(events, 'recovery.replay').find((r) => r.batch);
          if (batch) return 'all';
          const keys = all(events, 'recovery.replay').map((r) => text(r.key));
          return keys.some((k) => k === 'user:2' || k === 'user:3') ? 'part' : 'none';
        },
        explanation: explainChecksum,
      },
    ],
  },
];

export const WRITES: Chapter = {
  id: 'writes',
  get title() {
    return t('lessons:chapters.writes');
  },
  lessons: LESSONS,
};
