// Chapter 2, Disk: the SSTable file (blocks, sparse index, bloom filter, footer), compression, and the manifest
// that commits it. Every reveal is told from the events of what the engine just did (see lesson.ts).
import { t } from '../../i18n';
import type { TimelineEvent } from '../timeline';
import { explainFlush } from './explain';
import { all, type Chapter, find, type Lesson, last, list, puts, setup, text } from './lesson';

/** "user:00", "user:02", …: keys with room between them for Gets of keys never written. */
const keys = (prefix: string, from: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => `${prefix}:${String(from + i * step).padStart(2, '0')}`);

/** "A" or "An" before a number said aloud: an 8-, 11-, 18-, 80-, 89-byte record (English only: the message picks). */
const vowelSound = (n: number) => /^8/.test(String(n)) || n === 11 || n === 18;

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** What a new SSTable is made of, from its meta: data blocks against the rest (index, filter, footer). */
export function explainTableBytes(events: readonly TimelineEvent[]): string {
  const written = last(events, 'sstable.write');
  if (!written) return t('lessons:explain.noTable');
  const table = written.table;
  return t('lessons:explain.tableBytes', {
    file: table.file,
    size: table.size,
    entries: t('lessons:n.entry', { count: table.entries }),
    dataBytes: table.dataBytes,
    blocks: t('lessons:n.dataBlock', { count: table.blocks }),
    percent: percent(table.dataBytes, table.size),
    rest: table.size - table.dataBytes,
  });
}

/** Where a flushed table landed, as the picture draws it: the id a 'level' pick points at. */
export const flushLevel = (events: readonly TimelineEvent[]): string[] => {
  const written = last(events, 'sstable.write');
  return written ? [`L${written.table.level}`] : [];
};

export function explainFlushLevel(events: readonly TimelineEvent[]): string {
  const flush = find(events, 'flush.begin');
  const written = all(events, 'sstable.write');
  if (!flush || written.length === 0) return t('lessons:explain.flushLevel.none');
  const parts = [
    t('lessons:explain.flushLevel.filled', {
      bytes: flush.bytes,
      entries: t('lessons:n.entry', { count: flush.entries }),
      reason: flush.reason === 'manual' ? t('lessons:explain.reason.manual') : t('lessons:explain.reason.threshold'),
      file: written[0]!.table.file,
      level: written[0]!.table.level,
    }),
  ];
  if (written[0]!.table.level === 0) parts.push(t('lessons:explain.flushLevel.l0'));
  for (const w of written.slice(1))
    parts.push(t('lessons:explain.flushLevel.then', { file: w.table.file, level: w.table.level }));
  return parts.join(' ');
}

/** How many data blocks a table got, and how big they are against the block size. */
export function explainBlocks(events: readonly TimelineEvent[]): string {
  const written = last(events, 'sstable.write');
  if (!written) return t('lessons:explain.noTable');
  const table = written.table;
  return t('lessons:explain.blocks', {
    file: table.file,
    entries: t('lessons:n.entry', { count: table.entries }),
    blocks: t('lessons:n.dataBlock', { count: table.blocks }),
    dataBytes: table.dataBytes,
    perBlock: Math.round(table.dataBytes / Math.max(1, table.blocks)),
  });
}

/** A point read: the sparse index line chosen and the one block read. */
export function explainIndexRead(events: readonly TimelineEvent[]): string {
  const end = last(events, 'read.end');
  if (!end) return t('lessons:explain.skip.noGet');
  const parts: string[] = [];
  for (const index of all(events, 'read.index')) {
    const i = index.index;
    const chosen = i.keys[i.chosen - i.from];
    const facts = {
      file: index.file,
      lines: t('lessons:n.line', { count: i.blocks }),
      key: text(index.key),
      block: i.chosen,
    };
    parts.push(
      chosen
        ? t('lessons:explain.indexRead.indexWithKey', { ...facts, first: text(chosen) })
        : t('lessons:explain.indexRead.index', facts),
    );
  }
  for (const block of all(events, 'read.block')) {
    const facts = {
      block: block.block,
      size: block.blockSize,
      offset: block.blockOffset,
      entries: t('lessons:n.entry', { count: block.entries }),
    };
    parts.push(
      block.cached ? t('lessons:explain.indexRead.blockCached', facts) : t('lessons:explain.indexRead.block', facts),
    );
  }
  const blocks = t('lessons:n.dataBlock', { count: end.blocksRead });
  parts.push(
    end.found
      ? t('lessons:explain.indexRead.found', { value: text(end.value), blocks })
      : t('lessons:explain.indexRead.notFound', { blocks }),
  );
  return parts.join(' ');
}

/** Two tables of the same keys, without and with compression: sizes from their metas. */
export function explainCompression(events: readonly TimelineEvent[]): string {
  const [plain, packed] = all(events, 'sstable.write').map((w) => w.table);
  if (!plain || !packed) return t('lessons:explain.compression.missing');
  return t('lessons:explain.compression.sizes', {
    plain: plain.file,
    plainSize: plain.size,
    packed: packed.file,
    packedSize: packed.size,
    percent: percent(packed.size, plain.size),
    entries: t('lessons:n.entry', { count: packed.entries }),
    dataBytes: packed.dataBytes,
  });
}

/** What the bloom filters said to a run of Gets for keys never written. */
export function explainBloomRun(events: readonly TimelineEvent[]): string {
  const probes = all(events, 'read.bloom');
  if (probes.length === 0) return t('lessons:explain.bloom.none');
  const maybe = probes.filter((p) => p.maybe);
  const found = all(events, 'read.end').filter((r) => r.found).length;
  const blocks = all(events, 'read.end').reduce((n, r) => n + r.blocksRead, 0);
  const files = [...new Set(probes.map((p) => p.file))];
  const { bits, probes: k } = probes[0]!.bloom;
  const said = {
    no: t('lessons:n.time', { count: probes.length - maybe.length }),
    maybe: t('lessons:n.time', { count: maybe.length }),
  };
  const parts = [
    t('lessons:explain.bloom.asked', {
      gets: t('lessons:n.get', { count: probes.length }),
      files: list(files),
      bits,
      hashes: t('lessons:n.hashProbe', { count: k.length }),
    }),
    maybe.length > 0
      ? t('lessons:explain.bloom.saidKeys', { ...said, keys: list(maybe.map((p) => text(p.key))) })
      : t('lessons:explain.bloom.said', said),
  ];
  if (found === 0 && maybe.length > 0)
    parts.push(
      t('lessons:explain.bloom.falsePositives', {
        blocks: t('lessons:n.block', { count: blocks }),
        maybe: maybe.length,
        probes: probes.length,
        percent: percent(maybe.length, probes.length),
      }),
    );
  else if (found === 0)
    parts.push(
      t('lessons:explain.bloom.noFalsePositive', {
        blocks: t('lessons:n.dataBlock', { count: blocks }),
        misses: t('lessons:n.miss', { count: probes.length }),
      }),
    );
  return parts.join(' ');
}

/** A manifest record appended for a flush or a compaction: what it added and removed. */
export function explainManifestEdits(events: readonly TimelineEvent[]): string {
  const edits = all(events, 'manifest.edit');
  if (edits.length === 0) return t('lessons:explain.manifest.none');
  const parts = edits.map((e) => {
    const added = list(
      e.added.map((table) => t('lessons:explain.manifest.toLevel', { file: table.file, level: table.level })),
    );
    const removed = list(e.removed);
    const change =
      e.added.length > 0 && e.removed.length > 0
        ? t('lessons:explain.manifest.addingRemoving', { added, removed })
        : e.added.length > 0
          ? t('lessons:explain.manifest.adding', { added })
          : e.removed.length > 0
            ? t('lessons:explain.manifest.removing', { removed })
            : '';
    const facts = { length: e.length, offset: e.offset, file: e.file, change, log: e.logNumber, seq: e.lastSequence };
    return vowelSound(e.length)
      ? t('lessons:explain.manifest.recordAn', facts)
      : t('lessons:explain.manifest.record', facts);
  });
  const removed = all(events, 'sstable.remove').map((r) => r.file);
  if (removed.length > 0) parts.push(t('lessons:explain.manifest.deleted', { files: list(removed) }));
  parts.push(
    edits.length === 1
      ? t('lessons:explain.manifest.commitPoint')
      : t('lessons:explain.manifest.commitPoints', { count: edits.length }),
  );
  return parts.join(' ');
}

/** What recovery read from the manifest: each record replayed in order, and the version it added up to. */
export function explainManifestRecovery(events: readonly TimelineEvent[]): string {
  const edits = all(events, 'recovery.edit');
  const manifest = find(events, 'recovery.manifest');
  if (!manifest) return t('lessons:explain.manifestRecovery.none');
  const parts = [
    t('lessons:explain.manifestRecovery.read', { file: manifest.file, size: manifest.size, count: manifest.records }),
  ];
  parts.push(
    `${list(
      edits.map((e) =>
        e.added.length + e.removed.length === 0
          ? t('lessons:explain.manifestRecovery.start', { offset: e.offset })
          : t('lessons:explain.manifestRecovery.edit', {
              offset: e.offset,
              change: [
                e.added.length > 0 ? `+${e.added.join(' +')}` : '',
                e.removed.length > 0 ? `−${e.removed.join(' −')}` : '',
              ]
                .filter(Boolean)
                .join(' '),
            }),
      ),
    )}.`,
  );
  const tables =
    manifest.tables.length === 0
      ? t('lessons:explain.manifestRecovery.noTables')
      : list(
          manifest.tables.map((table) =>
            t('lessons:explain.manifestRecovery.inLevel', { file: table.file, level: table.level }),
          ),
        );
  parts.push(t('lessons:explain.manifestRecovery.version', { tables, log: manifest.logNumber }));
  const deleted = all(events, 'recovery.delete');
  if (deleted.length > 0)
    parts.push(t('lessons:explain.manifestRecovery.deleted', { files: list(deleted.map((d) => d.file)) }));
  return parts.join(' ');
}

/** The bloom lesson's tables: even-numbered keys, so that the odd ones in between are misses inside the range. */
const MISSES_A = keys('user', 1, 8, 2);
const MISSES_B = keys('item', 1, 8, 2);

const LESSONS: Lesson[] = [
  {
    id: 'flush',
    get title() {
      return t('lessons:flush.title');
    },
    get topic() {
      return t('lessons:flush.topic');
    },
    get note() {
      return t('lessons:flush.note');
    },
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:flush.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:flush.s2.question');
        },
        choices: [
          {
            id: 'kept',
            get label() {
              return t('lessons:flush.s2.choices.kept');
            },
          },
          {
            id: 'removed',
            get label() {
              return t('lessons:flush.s2.choices.removed');
            },
          },
          {
            id: 'truncated',
            get label() {
              return t('lessons:flush.s2.choices.truncated');
            },
          },
        ],
        get button() {
          return t('lessons:flush.s2.button');
        },
        actions: [...puts(['user:2', 'user:3'], 'Grace'), { op: 'flush' }],
        outcome: (events) => {
          const removed = events.findIndex((e) => e.type === 'wal.remove');
          const committed = events.findIndex((e) => e.type === 'manifest.edit' && e.added.length > 0);
          return removed >= 0 && committed >= 0 && committed < removed ? 'removed' : 'kept';
        },
        explanation: explainFlush,
      },
      {
        kind: 'explain',
        get text() {
          return t('lessons:flush.s3.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:flush.s4.question');
        },
        choices: [
          {
            id: 'most',
            get label() {
              return t('lessons:flush.s4.choices.most');
            },
          },
          {
            id: 'less',
            get label() {
              return t('lessons:flush.s4.choices.less');
            },
          },
        ],
        get button() {
          return t('lessons:flush.s4.button');
        },
        actions: [...puts(['user:4', 'user:5', 'user:6'], 'Barbara'), { op: 'flush' }],
        outcome: (events) => {
          const t = last(events, 'sstable.write')?.table;
          return t && t.dataBytes * 2 > t.size ? 'most' : 'less';
        },
        explanation: explainTableBytes,
      },
      {
        kind: 'pick',
        get question() {
          return t('lessons:flush.s5.question');
        },
        target: 'level',
        single: true,
        get button() {
          return t('lessons:flush.s5.button');
        },
        actions: puts(keys('user', 10, 9), 'Frances'),
        answer: flushLevel,
        explanation: explainFlushLevel,
      },
    ],
  },
  {
    id: 'blocks',
    get title() {
      return t('lessons:blocks.title');
    },
    get topic() {
      return t('lessons:blocks.topic');
    },
    get note() {
      return t('lessons:blocks.note');
    },
    setup: setup([], { memtableBytes: 4096 }),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:blocks.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:blocks.s2.question');
        },
        choices: [
          {
            id: 'one',
            get label() {
              return t('lessons:blocks.s2.choices.one');
            },
          },
          {
            id: 'few',
            get label() {
              return t('lessons:blocks.s2.choices.few');
            },
          },
          {
            id: 'many',
            get label() {
              return t('lessons:blocks.s2.choices.many');
            },
          },
        ],
        get button() {
          return t('lessons:blocks.s2.button');
        },
        actions: [
          { op: 'settings', changes: { blockSize: 64 } },
          ...puts(keys('user', 0, 12), 'Grace Hopper'),
          { op: 'flush' },
        ],
        outcome: (events) => {
          const blocks = last(events, 'sstable.write')?.table.blocks ?? 0;
          return blocks <= 1 ? 'one' : blocks <= 4 ? 'few' : 'many';
        },
        explanation: explainBlocks,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:blocks.s3.question');
        },
        choices: [
          {
            id: 'one',
            get label() {
              return t('lessons:blocks.s3.choices.one');
            },
          },
          {
            id: 'all',
            get label() {
              return t('lessons:blocks.s3.choices.all');
            },
          },
        ],
        get button() {
          return t('lessons:blocks.s3.button');
        },
        actions: [{ op: 'get', key: 'user:07' }],
        outcome: (events) => ((last(events, 'read.end')?.blocksRead ?? 0) <= 1 ? 'one' : 'all'),
        explanation: explainIndexRead,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:blocks.s4.question');
        },
        choices: [
          {
            id: 'deflate',
            get label() {
              return t('lessons:blocks.s4.choices.deflate');
            },
          },
          {
            id: 'same',
            get label() {
              return t('lessons:blocks.s4.choices.same');
            },
          },
        ],
        get button() {
          return t('lessons:blocks.s4.button');
        },
        actions: [
          { op: 'settings', changes: { blockSize: 256, compression: 'none' } },
          ...puts(keys('user', 0, 12), 'aaaaaaaaaaaaaaaa'),
          { op: 'flush' },
          { op: 'settings', changes: { compression: 'deflate' } },
          ...puts(keys('user', 0, 12), 'aaaaaaaaaaaaaaaa'),
          { op: 'flush' },
        ],
        outcome: (events) => {
          const [plain, packed] = all(events, 'sstable.write').map((w) => w.table);
          return plain && packed && packed.size < plain.size ? 'deflate' : 'same';
        },
        explanation: explainCompression,
      },
    ],
  },
  {
    id: 'bloom',
    get title() {
      return t('lessons:bloom.title');
    },
    get topic() {
      return t('lessons:bloom.topic');
    },
    get note() {
      return t('lessons:bloom.note');
    },
    // user:00, user:02 … user:38 in one table with 10-bit filters: the odd keys between are misses in its range.
    setup: setup([...puts(keys('user', 0, 20, 2), 'Ada'), { op: 'flush' }], { memtableBytes: 4096 }),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:bloom.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:bloom.s2.question', { first: MISSES_A[0], second: MISSES_A[1], last: MISSES_A.at(-1) });
        },
        choices: [
          {
            id: 'never',
            get label() {
              return t('lessons:bloom.s2.choices.never');
            },
          },
          {
            id: 'once',
            get label() {
              return t('lessons:bloom.s2.choices.once');
            },
          },
          {
            id: 'often',
            get label() {
              return t('lessons:bloom.s2.choices.often');
            },
          },
        ],
        get button() {
          return t('lessons:bloom.s2.button');
        },
        actions: MISSES_A.map((key) => ({ op: 'get', key })),
        outcome: (events) => {
          const maybe = all(events, 'read.bloom').filter((p) => p.maybe).length;
          return maybe === 0 ? 'never' : maybe <= 2 ? 'once' : 'often';
        },
        explanation: explainBloomRun,
      },
      {
        kind: 'try',
        get text() {
          return t('lessons:bloom.s3.text');
        },
        get button() {
          return t('lessons:bloom.s3.button');
        },
        actions: [
          { op: 'settings', changes: { bloomBitsPerKey: 2 } },
          ...puts(keys('item', 0, 20, 2), 'Ada'),
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:bloom.s4.question', { first: MISSES_B[0], last: MISSES_B.at(-1) });
        },
        choices: [
          {
            id: 'never',
            get label() {
              return t('lessons:bloom.s4.choices.never');
            },
          },
          {
            id: 'once',
            get label() {
              return t('lessons:bloom.s4.choices.once');
            },
          },
          {
            id: 'often',
            get label() {
              return t('lessons:bloom.s4.choices.often');
            },
          },
        ],
        get button() {
          return t('lessons:bloom.s4.button');
        },
        actions: MISSES_B.map((key) => ({ op: 'get', key })),
        outcome: (events) => {
          const maybe = all(events, 'read.bloom').filter((p) => p.maybe).length;
          return maybe === 0 ? 'never' : maybe <= 2 ? 'once' : 'often';
        },
        explanation: explainBloomRun,
      },
    ],
  },
  {
    id: 'manifest',
    get title() {
      return t('lessons:manifest.title');
    },
    get topic() {
      return t('lessons:manifest.topic');
    },
    get note() {
      return t('lessons:manifest.note');
    },
    setup: setup([...puts(['user:1', 'user:2'], 'Ada'), { op: 'flush' }]),
    steps: [
      {
        kind: 'explain',
        get text() {
          return t('lessons:manifest.s1.text');
        },
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:manifest.s2.question');
        },
        choices: [
          {
            id: 'append',
            get label() {
              return t('lessons:manifest.s2.choices.append');
            },
          },
          {
            id: 'rewrite',
            get label() {
              return t('lessons:manifest.s2.choices.rewrite');
            },
          },
        ],
        get button() {
          return t('lessons:manifest.s2.button');
        },
        actions: [...puts(['user:3', 'user:4'], 'Grace'), { op: 'flush' }],
        outcome: (events) => {
          const edit = last(events, 'manifest.edit');
          return edit && edit.offset > 0 && edit.removed.length === 0 ? 'append' : 'rewrite';
        },
        explanation: explainManifestEdits,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:manifest.s3.question');
        },
        choices: [
          {
            id: 'one',
            get label() {
              return t('lessons:manifest.s3.choices.one');
            },
          },
          {
            id: 'two',
            get label() {
              return t('lessons:manifest.s3.choices.two');
            },
          },
        ],
        get button() {
          return t('lessons:manifest.s3.button');
        },
        actions: [{ op: 'compact' }],
        outcome: (events) => {
          const edits = all(events, 'manifest.edit');
          return edits.length === 1 && edits[0]!.added.length > 0 && edits[0]!.removed.length > 0 ? 'one' : 'two';
        },
        explanation: explainManifestEdits,
      },
      {
        kind: 'predict',
        get question() {
          return t('lessons:manifest.s4.question');
        },
        choices: [
          {
            id: 'replay',
            get label() {
              return t('lessons:manifest.s4.choices.replay');
            },
          },
          {
            id: 'last',
            get label() {
              return t('lessons:manifest.s4.choices.last');
            },
          },
          {
            id: 'list',
            get label() {
              return t('lessons:manifest.s4.choices.list');
            },
          },
        ],
        get button() {
          return t('lessons:manifest.s4.button');
        },
        actions: [{ op: 'crash', kind: 'process' }, { op: 'recover' }],
        outcome: (events) => {
          const manifest = find(events, 'recovery.manifest');
          return manifest && manifest.records > 1 && all(events, 'recovery.edit').length === manifest.records
            ? 'replay'
            : 'last';
        },
        explanation: explainManifestRecovery,
      },
    ],
  },
];

export const DISK: Chapter = {
  id: 'disk',
  get title() {
    return t('lessons:chapters.disk');
  },
  lessons: LESSONS,
};
