// Failure: what a crash, a power cut or a flipped bit does to the files, and what recovery and the checksums make
// of it. Every reveal is told from the events of the crash (the page's `crash`, the worker's `crash.point`), of the
// recovery after it (recovery.*) and of the read that checks the outcome.
import { t } from '../../i18n';
import type { TimelineEvent } from '../timeline';
import { explainRecovery } from './explain';
import { all, type Chapter, find, type Lesson, last, list, puts, setup, text } from './lesson';

/** Where an armed crash point struck, in the lab's words (web/model/narrate.ts says it the same way). */
const where = (point: string) =>
  point === 'wal-append'
    ? t('lessons:explain.crashAt.walAppend')
    : point === 'before-memtable'
      ? t('lessons:explain.crashAt.beforeMemtable')
      : point === 'mid-sstable'
        ? t('lessons:explain.crashAt.midSstable')
        : point === 'before-manifest'
          ? t('lessons:explain.crashAt.beforeManifest')
          : point === 'mid-compaction'
            ? t('lessons:explain.crashAt.midCompaction')
            : point;

/** The crash itself: which kind, where, and what it cut short. */
function tellCrash(events: readonly TimelineEvent[]): string[] {
  const point = find(events, 'crash.point');
  const crash = find(events, 'crash');
  const parts: string[] = [];
  if (point) {
    const facts = { where: where(point.point), file: point.torn?.file, size: point.torn?.size };
    parts.push(
      point.kind === 'power'
        ? point.torn
          ? t('lessons:explain.crash.powerTorn', facts)
          : t('lessons:explain.crash.power', facts)
        : point.torn
          ? t('lessons:explain.crash.processTorn', facts)
          : t('lessons:explain.crash.process', facts),
    );
  } else if (crash)
    parts.push(crash.kind === 'power' ? t('lessons:explain.crash.powerWent') : t('lessons:explain.crash.crashed'));
  else parts.push(t('lessons:explain.crash.nothing'));
  const begin = find(events, 'flush.begin');
  const written = find(events, 'sstable.write');
  const edit = all(events, 'manifest.edit').find(
    (e) => written !== undefined && e.added.some((a) => a.file === written.table.file),
  );
  if (begin) {
    const facts = {
      entries: t('lessons:n.entry', { count: begin.entries }),
      file: written?.table.file,
      offset: edit?.offset,
      manifest: edit?.file,
    };
    parts.push(
      !written
        ? t('lessons:explain.crash.flushTook', facts)
        : edit
          ? t('lessons:explain.crash.flushCommitted', facts)
          : t('lessons:explain.crash.flushUncommitted', facts),
    );
  }
  if (crash)
    parts.push(
      crash.memtableEntries === 0
        ? t('lessons:explain.crash.memtableEmpty')
        : t('lessons:explain.crash.memtableDied', { count: crash.memtableEntries }),
    );
  return parts;
}

/** What recovery found, deleted and replayed, and what the Get after it said. */
function tellRecovery(events: readonly TimelineEvent[]): string[] {
  const parts: string[] = [];
  const manifest = find(events, 'recovery.manifest');
  const end = last(events, 'recovery.end');
  if (!end) return [t('lessons:explain.recover.none')];
  if (manifest)
    parts.push(
      t('lessons:explain.recover.manifest', {
        file: manifest.file,
        records: t('lessons:n.record', { count: manifest.records }),
        tables:
          manifest.tables.length === 0
            ? t('lessons:explain.recover.noTable')
            : list(manifest.tables.map((table) => table.file)),
      }),
    );
  const deleted = all(events, 'recovery.delete');
  for (const d of deleted) parts.push(t('lessons:explain.recover.deleted', { file: d.file, reason: d.reason }));
  const replays = all(events, 'recovery.replay');
  const files = [...new Set(replays.map((r) => r.file))];
  parts.push(
    replays.length > 0
      ? t('lessons:explain.recover.replayed', {
          count: replays.length,
          files: list(files),
          keys: list(replays.map((r) => text(r.key))),
        })
      : t('lessons:explain.recover.noRecord'),
  );
  for (const tail of all(events, 'recovery.torn-tail'))
    parts.push(t('lessons:explain.recover.torn', { file: tail.file, offset: tail.offset, dropped: tail.droppedBytes }));
  const read = last(events, 'read.end');
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.recover.found', {
            key: text(read.key),
            value: text(read.value),
            source: read.source === 'memtable' ? t('lessons:explain.theMemtable') : read.source,
          })
        : t('lessons:explain.getNotFound', { key: text(read.key) }),
    );
  return parts;
}

export function explainCrashPoint(events: readonly TimelineEvent[]): string {
  return [...tellCrash(events), ...tellRecovery(events)].join(' ');
}

/** Where the Get of a crash lesson found its key: in the memtable again, in an SSTable, or nowhere. */
const whereFound = (events: readonly TimelineEvent[]) => {
  const read = last(events, 'read.end');
  if (!read?.found) return 'lost';
  return read.source === 'memtable' ? 'memtable' : 'sstable';
};

/** The SSTable a crash point cut short or left uncommitted: deleted by recovery, or kept. */
const orphanFate = (events: readonly TimelineEvent[]) => {
  const point = find(events, 'crash.point');
  const file = point?.torn?.file ?? find(events, 'sstable.write')?.table.file;
  if (!file) return 'none';
  return all(events, 'recovery.delete').some((d) => d.file === file) ? 'deleted' : 'kept';
};

/** A power loss: what the WAL held, what recovery replayed of it, and which acknowledged writes that left. */
export function explainPowerLoss(events: readonly TimelineEvent[]): string {
  const appended = all(events, 'wal.append');
  const flushed = last(events, 'wal.flush');
  const parts: string[] = [];
  if (appended.length > 0) {
    const durable = appended.filter((a) => flushed && a.file === flushed.file && a.offset + a.length <= flushed.size);
    const facts = {
      writes: t('lessons:n.write', { count: appended.length }),
      keys: list(appended.map((a) => text(a.key))),
      files: list([...new Set(appended.map((a) => a.file))]),
      durable: list(durable.map((a) => text(a.key))),
    };
    parts.push(
      durable.length === 0
        ? t('lessons:explain.powerCut.noneFlushed', facts)
        : t('lessons:explain.powerCut.flushed', { ...facts, count: durable.length }),
    );
  }
  return [...parts, ...tellCrash(events).slice(0, 1), ...tellRecovery(events)].join(' ');
}

const LESSONS: Lesson[] = [
  {
    id: 'crash',
    get title() {
      return t('lessons:crash.title');
    },
    get topic() {
      return t('lessons:crash.topic');
    },
    get note() {
      return t('lessons:crash.note');
    },
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:crash.s1.text');
        },
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:crash.s2.text');
        },
        get button() {
          return t('lessons:crash.s2.button');
        },
        actions: [{ op: 'put', key: 'user:4', value: 'Alan' }],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:crash.s3.question');
        },
        choices: [
          {
            id: 'yes',
            get label() {
              return t('lessons:crash.s3.choices.yes');
            },
          },
          {
            id: 'no',
            get label() {
              return t('lessons:crash.s3.choices.no');
            },
          },
        ],
        get button() {
          return t('lessons:crash.s3.button');
        },
        actions: [{ op: 'crash', kind: 'process' }, { op: 'recover' }, { op: 'get', key: 'user:4' }],
        outcome: (events) => {
          const end = last(events, 'read.end');
          return end?.found ? 'yes' : 'no';
        },
        explanation: explainRecovery,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:crash.s4.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:crash.s5.question');
        },
        choices: [
          {
            id: 'deleted',
            get label() {
              return t('lessons:crash.s5.choices.deleted');
            },
          },
          {
            id: 'kept',
            get label() {
              return t('lessons:crash.s5.choices.kept');
            },
          },
        ],
        get button() {
          return t('lessons:crash.s5.button');
        },
        actions: [
          { op: 'arm', point: 'before-manifest', kind: 'process' },
          { op: 'flush' },
          { op: 'recover' },
          { op: 'get', key: 'user:4' },
        ],
        outcome: orphanFate,
        explanation: explainCrashPoint,
      },
    ],
  },
  {
    id: 'crash-points',
    get title() {
      return t('lessons:crash-points.title');
    },
    get topic() {
      return t('lessons:crash-points.topic');
    },
    get note() {
      return t('lessons:crash-points.note');
    },
    setup: setup(puts(['user:1', 'user:2', 'user:3'], 'Grace')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:crash-points.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:crash-points.s2.question');
        },
        choices: [
          {
            id: 'memtable',
            get label() {
              return t('lessons:crash-points.s2.choices.memtable');
            },
          },
          {
            id: 'sstable',
            get label() {
              return t('lessons:crash-points.s2.choices.sstable');
            },
          },
          {
            id: 'lost',
            get label() {
              return t('lessons:crash-points.s2.choices.lost');
            },
          },
        ],
        get button() {
          return t('lessons:crash-points.s2.button');
        },
        actions: [
          { op: 'arm', point: 'mid-sstable', kind: 'process' },
          { op: 'flush' },
          { op: 'recover' },
          { op: 'get', key: 'user:2' },
        ],
        outcome: whereFound,
        explanation: explainCrashPoint,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:crash-points.s3.question');
        },
        choices: [
          {
            id: 'deleted',
            get label() {
              return t('lessons:crash-points.s3.choices.deleted');
            },
          },
          {
            id: 'kept',
            get label() {
              return t('lessons:crash-points.s3.choices.kept');
            },
          },
        ],
        get button() {
          return t('lessons:crash-points.s3.button');
        },
        actions: [
          { op: 'arm', point: 'before-manifest', kind: 'process' },
          { op: 'flush' },
          { op: 'recover' },
          { op: 'get', key: 'user:2' },
        ],
        outcome: orphanFate,
        explanation: explainCrashPoint,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:crash-points.s4.question');
        },
        choices: [
          {
            id: 'sstable',
            get label() {
              return t('lessons:crash-points.s4.choices.sstable');
            },
          },
          {
            id: 'memtable',
            get label() {
              return t('lessons:crash-points.s4.choices.memtable');
            },
          },
          {
            id: 'lost',
            get label() {
              return t('lessons:crash-points.s4.choices.lost');
            },
          },
        ],
        get button() {
          return t('lessons:crash-points.s4.button');
        },
        actions: [{ op: 'flush' }, { op: 'crash', kind: 'process' }, { op: 'recover' }, { op: 'get', key: 'user:2' }],
        outcome: whereFound,
        explanation: explainCrashPoint,
      },
    ],
  },
  {
    id: 'power-loss',
    get title() {
      return t('lessons:power-loss.title');
    },
    get topic() {
      return t('lessons:power-loss.topic');
    },
    get note() {
      return t('lessons:power-loss.note');
    },
    setup: setup(puts(['user:1', 'user:2', 'user:3'], 'Radia')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:power-loss.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:power-loss.s2.question');
        },
        choices: [
          {
            id: 'yes',
            get label() {
              return t('lessons:power-loss.s2.choices.yes');
            },
          },
          {
            id: 'no',
            get label() {
              return t('lessons:power-loss.s2.choices.no');
            },
          },
        ],
        get button() {
          return t('lessons:power-loss.s2.button');
        },
        actions: [{ op: 'crash', kind: 'power', seed: 11 }, { op: 'recover' }, { op: 'get', key: 'user:3' }],
        outcome: (events) => (last(events, 'read.end')?.found ? 'yes' : 'no'),
        explanation: explainPowerLoss,
      },
      {
        kind: 'pick',
        get question() {
          return t('lessons:power-loss.s3.question');
        },
        target: 'wal-record',
        single: true,
        get button() {
          return t('lessons:power-loss.s3.button');
        },
        actions: [
          { op: 'arm', point: 'wal-append', kind: 'power', seed: 11 },
          { op: 'put', key: 'user:4', value: 'Alan' },
          { op: 'recover' },
        ],
        answer: (events) => {
          const replay = last(events, 'recovery.replay');
          return replay ? [`${replay.file}@${replay.offset}`] : [];
        },
        explanation: explainCrashPoint,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:power-loss.s4.question');
        },
        choices: [
          {
            id: 'yes',
            get label() {
              return t('lessons:power-loss.s4.choices.yes');
            },
          },
          {
            id: 'no',
            get label() {
              return t('lessons:power-loss.s4.choices.no');
            },
          },
        ],
        get button() {
          return t('lessons:power-loss.s4.button');
        },
        actions: [
          // A flush "later" that a class can see: not within a few milliseconds, as the lab's default would.
          { op: 'settings', changes: { durability: 'relaxed', groupCommitMs: 600_000 } },
          { op: 'put', key: 'user:5', value: 'Tony' },
          { op: 'put', key: 'user:6', value: 'Tony' },
          { op: 'crash', kind: 'power', seed: 11 },
          { op: 'recover' },
          { op: 'get', key: 'user:6' },
        ],
        outcome: (events) => (last(events, 'read.end')?.found ? 'yes' : 'no'),
        explanation: explainPowerLoss,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:power-loss.s5.text');
        },
      },
    ],
  },
  {
    id: 'corruption',
    get title() {
      return t('lessons:corruption.title');
    },
    get topic() {
      return t('lessons:corruption.topic');
    },
    get note() {
      return t('lessons:corruption.note');
    },
    // One table, 000004.sst, of several 128-byte blocks: a flipped byte damages one block and no other.
    setup: setup(
      [
        ...puts(
          ['user:01', 'user:02', 'user:03', 'user:04', 'user:05', 'user:06', 'user:07', 'user:08'],
          'Grace Hopper',
        ),
        { op: 'flush' },
      ],
      { memtableBytes: 1024, blockSize: 128 },
    ),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:corruption.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:corruption.s2.question');
        },
        choices: [
          {
            id: 'error',
            get label() {
              return t('lessons:corruption.s2.choices.error');
            },
          },
          {
            id: 'garbled',
            get label() {
              return t('lessons:corruption.s2.choices.garbled');
            },
          },
          {
            id: 'value',
            get label() {
              return t('lessons:corruption.s2.choices.value');
            },
          },
        ],
        get button() {
          return t('lessons:corruption.s2.button');
        },
        actions: [
          { op: 'corrupt', file: '000004.sst', offset: 20 },
          { op: 'get', key: 'user:01' },
        ],
        outcome: (events) => {
          if (find(events, 'corruption')) return 'error';
          const read = last(events, 'read.end');
          return read?.found && text(read.value) === 'Grace Hopper' ? 'value' : 'garbled';
        },
        explanation: explainCorruption,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:corruption.s3.question');
        },
        choices: [
          {
            id: 'found',
            get label() {
              return t('lessons:corruption.s3.choices.found');
            },
          },
          {
            id: 'error',
            get label() {
              return t('lessons:corruption.s3.choices.error');
            },
          },
        ],
        get button() {
          return t('lessons:corruption.s3.button');
        },
        actions: [{ op: 'get', key: 'user:08' }],
        // Anything but the value read back is the error the question offers: the read failed.
        outcome: (events) => (!find(events, 'corruption') && last(events, 'read.end')?.found ? 'found' : 'error'),
        explanation: explainCorruption,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:corruption.s4.question');
        },
        choices: [
          {
            id: 'refuses',
            get label() {
              return t('lessons:corruption.s4.choices.refuses');
            },
          },
          {
            id: 'copies',
            get label() {
              return t('lessons:corruption.s4.choices.copies');
            },
          },
        ],
        get button() {
          return t('lessons:corruption.s4.button');
        },
        actions: [{ op: 'compact' }],
        // The engine's own word that the compaction stopped before its commit (compaction.fail).
        outcome: (events) => (find(events, 'compaction.fail') ? 'refuses' : 'copies'),
        explanation: explainCorruption,
      },
    ],
  },
];

/** What a read or a compaction met: a block whose checksum failed (file, byte, detail), or intact data. */
export function explainCorruption(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  const begin = find(events, 'compaction.begin');
  const end = find(events, 'compaction.end');
  const damage = all(events, 'corruption');
  const read = last(events, 'read.end');
  const tried = all(events, 'read.sstable').map((s) => s.file);
  const began = find(events, 'read.begin');
  if (begin) parts.push(t('lessons:explain.corruption.began', { inputs: list(begin.inputs) }));
  for (const c of damage)
    parts.push(t('lessons:explain.corruption.reported', { file: c.file, offset: c.offset, detail: c.detail }));
  if (damage.length > 0 && began && !read)
    parts.push(t('lessons:explain.corruption.getFailed', { key: text(began.key) }));
  if (find(events, 'compaction.fail')) {
    const removed = all(events, 'sstable.remove').filter((r) => r.uncommitted);
    parts.push(
      removed.length === 0
        ? t('lessons:explain.corruption.compactionFailed')
        : t('lessons:explain.corruption.compactionFailedRemoved', { outputs: list(removed.map((r) => r.file)) }),
    );
  }
  if (end) parts.push(t('lessons:explain.corruption.wrote', { outputs: list(end.outputs), level: end.outputLevel }));
  if (read)
    parts.push(
      read.found
        ? t('lessons:explain.corruption.verified', {
            key: text(read.key),
            blocks: t('lessons:n.dataBlock', { count: read.blocksRead }),
            files: list(tried),
            value: text(read.value),
          })
        : t('lessons:explain.corruption.notFound', { key: text(read.key) }),
    );
  return parts.join(' ') || t('lessons:explain.corruption.nothing');
}

export const FAILURE: Chapter = {
  id: 'failure',
  get title() {
    return t('lessons:chapters.failure');
  },
  lessons: LESSONS,
};
