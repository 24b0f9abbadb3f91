// The guided lessons, in the order the ideas build on each other (mini-lsm's curriculum in spirit). Each stands
// alone: it opens a database of its own and replays its setup (a scenario, the format share links use) before its
// first step, so it says the same whenever and wherever it is opened. Then a few steps: an explanation, something
// to try on the live engine, and questions to answer BEFORE seeing what happens. The answer and every sentence of
// the reveal are written from the events of what the engine just did, never from a script.

import { plural, showBytes } from './display';
import type { Scenario, ScenarioOp } from './scenario';
import type { TimelineEvent } from './timeline';

export type LessonStep =
  | { kind: 'explain'; text: string }
  | { kind: 'try'; text: string; button: string; actions: ScenarioOp[] }
  | {
      kind: 'predict';
      question: string;
      choices: Array<{ id: string; label: string }>;
      button: string;
      actions: ScenarioOp[];
      /** Which choice the engine's events (those emitted by `actions`) prove right. */
      outcome: (events: readonly TimelineEvent[]) => string;
      /** What the engine did this time, told from the same events: file names, counts, levels. */
      explanation: (events: readonly TimelineEvent[]) => string;
    };

export interface Lesson {
  /** The stable slug of its link, `?lesson=<id>`. */
  id: string;
  title: string;
  /** Replayed on the lesson's own, freshly reset database before its first step. */
  setup: Scenario;
  steps: LessonStep[];
}

/**
 * Every lesson's engine, whatever the class's settings are: the lab's classroom defaults (a 256-byte memtable,
 * leveled compaction, 10-bit bloom filters, a flush of the WAL on every write).
 */
export const LESSON_SETTINGS = {
  durability: 'durable',
  memtableBytes: 256,
  blockSize: 256,
  bloomBitsPerKey: 10,
  compression: 'none',
  compaction: 'leveled',
  dynamicLevelBytes: false,
} as const;

const setup = (ops: ScenarioOp[]): Scenario => ({ version: 1, settings: { ...LESSON_SETTINGS }, ops });
const puts = (keys: string[], value: string): ScenarioOp[] => keys.map((key) => ({ op: 'put', key, value }));

type Event<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
const all = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T): Event<T>[] =>
  events.filter((e): e is Event<T> => e.type === type);
const find = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T): Event<T> | undefined =>
  all(events, type)[0];
const last = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T): Event<T> | undefined =>
  all(events, type).at(-1);
const first = (events: readonly TimelineEvent[], types: TimelineEvent['type'][]) =>
  events.find((e) => types.includes(e.type))?.type;

/** Keys and values travel as hex in the events: shown as text where they are. */
const text = (hex: string | null) => showBytes(hex, 40);
/** "a, b and c" */
const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;

/** The order in which a put reached the WAL, its flush and the memtable, as the events tell it. */
export function explainWritePath(events: readonly TimelineEvent[]): string {
  const append = find(events, 'wal.append');
  const insert = find(events, 'memtable.insert');
  const steps: Array<{ at: number; text: string }> = [];
  const at = (e: TimelineEvent | undefined) => (e ? events.indexOf(e) : -1);
  if (append)
    steps.push({
      at: at(append),
      text: `a ${append.length}-byte record for ${text(append.key)} was appended at byte ${append.offset} of ${append.file}`,
    });
  const flushed = events.find((e) => e.type === 'wal.flush' && append && e.file === append.file);
  if (flushed?.type === 'wal.flush')
    steps.push({ at: at(flushed), text: `${flushed.file} was flushed (durable up to byte ${flushed.size})` });
  if (insert)
    steps.push({
      at: at(insert),
      text: `${text(insert.key)} went into the memtable (${plural(insert.entries, 'entry', 'entries')}, ${insert.bytes} of ${insert.limit} bytes)`,
    });
  const table = find(events, 'sstable.write');
  if (table) steps.push({ at: at(table), text: `${table.table.file} was written` });
  if (steps.length === 0) return 'The engine wrote nothing this time.';
  steps.sort((a, b) => a.at - b.at);
  const told = sentence(`first ${steps.map((s) => s.text).join(', then ')}`);
  const durableFirst = append && insert && flushed && at(flushed) < at(insert);
  return durableFirst
    ? `${told} The record was on disk before the memtable saw the write: had the tab died right after, it would bring the write back.`
    : told;
}

/** What a flush did with the memtable, the manifest and the old WAL, as the events tell it. */
export function explainFlush(events: readonly TimelineEvent[]): string {
  const begin = last(events, 'flush.begin');
  const written = last(events, 'sstable.write');
  if (!begin || !written) return 'No flush ran this time: the memtable and its WAL are as they were.';
  const edit = events.find((e) => e.type === 'manifest.edit' && e.added.some((t) => t.file === written.table.file));
  const removed = events.find((e) => e.type === 'wal.remove' && e.file === begin.wal);
  const created = last(events, 'wal.create');
  const parts = [
    `The flush wrote the memtable's ${plural(begin.entries, 'entry', 'entries')} into ${written.table.file} (${written.table.size} bytes, keys ${text(written.table.smallest)} to ${text(written.table.largest)}).`,
  ];
  if (edit?.type === 'manifest.edit')
    parts.push(
      `The manifest record at byte ${edit.offset} of ${edit.file} added it to L${written.table.level}: the commit point.`,
    );
  else parts.push(`No manifest record named ${written.table.file}: it is not committed.`);
  if (removed && edit && events.indexOf(edit) < events.indexOf(removed))
    parts.push(`Only after that was ${begin.wal}, the WAL that held those entries, deleted.`);
  else if (removed) parts.push(`${begin.wal} was deleted.`);
  else parts.push(`${begin.wal} was not deleted.`);
  if (created) parts.push(`New writes go to ${created.file}.`);
  return parts.join(' ');
}

/** What a crash, the recovery after it and a Get did, as the events tell it. */
export function explainRecovery(events: readonly TimelineEvent[]): string {
  const crash = find(events, 'crash');
  const replays = all(events, 'recovery.replay');
  const end = last(events, 'recovery.end');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  if (crash)
    parts.push(
      `The ${crash.kind === 'power' ? 'power loss' : 'crash'} took the memtable's ${plural(crash.memtableEntries, 'entry', 'entries')} with it.`,
    );
  if (end) {
    const files = [...new Set(replays.map((r) => r.file))];
    parts.push(
      replays.length > 0
        ? `Recovery replayed ${plural(replays.length, 'record')} from ${list(files)} (${list(replays.map((r) => text(r.key)))}) into a new memtable.`
        : 'Recovery found no WAL record to replay.',
    );
  } else parts.push('No recovery ran.');
  if (read)
    parts.push(
      read.found
        ? `The Get found ${text(read.key)} = ${text(read.value)} in ${read.source === 'memtable' ? 'the memtable' : read.source}: an acknowledged write survived the crash.`
        : `The Get did not find ${text(read.key)}.`,
    );
  return parts.join(' ');
}

/** Where a Get looked and what each place said, as the events tell it. */
export function explainRead(events: readonly TimelineEvent[]): string {
  const end = last(events, 'read.end');
  if (!end) return 'No Get ran.';
  const memtable = last(events, 'read.memtable');
  const parts: string[] = [];
  const where: string[] = [];
  if (memtable) where.push(`the memtable (${memtable.found === 'absent' ? 'not there' : memtable.found})`);
  for (const table of all(events, 'read.sstable')) {
    const verdict =
      table.found === 'out-of-range'
        ? 'the key is outside its range'
        : table.found === 'bloom-negative'
          ? 'its bloom filter said "certainly not here"'
          : `${table.bloom ? 'its bloom filter said "maybe", so ' : ''}its sparse index named block ${table.block}, which was read: ${table.found === 'absent' ? 'not there' : table.found === 'value' ? 'found' : 'a tombstone'}`;
    where.push(`${table.file} in L${table.level} (${verdict})`);
  }
  parts.push(`The Get of ${text(end.key)} looked in ${list(where)}.`);
  parts.push(
    `${end.found ? `It found ${text(end.value)}` : 'Not found'}, with ${plural(end.blocksRead, 'data block')} read and ${plural(end.bloomSkips, 'table')} skipped by ${end.bloomSkips === 1 ? 'its' : 'their'} bloom filter${end.bloomSkips === 1 ? '' : 's'}.`,
  );
  const falsePositives = all(events, 'read.sstable').filter((t) => t.bloom && t.found === 'absent').length;
  if (!end.found && falsePositives > 0)
    parts.push(
      `${plural(falsePositives, 'filter')} said "maybe" for a key that is not there: a false positive, which at 10 bits per key happens about 1 time in 100.`,
    );
  else if (!end.found && end.bloomSkips > 0)
    parts.push('A bloom filter never says "no" wrongly, so a key it rules out costs no block read.');
  return parts.join(' ');
}

/** What compaction did (or that none ran) after the flushes, as the events tell it. */
export function explainCompaction(events: readonly TimelineEvent[]): string {
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const added = flushed.length > 0 ? `The flushes wrote ${list(flushed)} into L0.` : 'No flush ran.';
  const ends = all(events, 'compaction.end');
  if (ends.length === 0) return `${added} No compaction began: L0 just grew.`;
  const parts = [added];
  for (const [i, end] of ends.entries()) {
    const begin = all(events, 'compaction.begin')[i];
    const levels = begin ? [...new Set(begin.inputLevels)].map((l) => `L${l}`) : [];
    const dropped = end.droppedShadowed + end.droppedTombstones;
    parts.push(
      `${i === 0 ? 'Then a' : 'Another'} compaction${begin ? `, chosen because ${begin.reason},` : ''} read ${list(end.inputs)}${levels.length > 0 ? ` from ${list(levels)}` : ''}, merged ${plural(end.entriesRead, 'entry', 'entries')} newest-wins${dropped > 0 ? `, dropped ${plural(dropped, 'older version')}` : ''}, and wrote ${list(end.outputs)} into L${end.outputLevel} (${end.bytesWritten} bytes written).`,
    );
  }
  parts.push(
    'Those bytes written again are write amplification; fewer files for a read to check is less read amplification. Both are measured in the Amplification section of the Workload panel (on the right).',
  );
  return parts.join(' ');
}

/** Where a delete was recorded and what a Get then met, as the events tell it. */
export function explainDelete(events: readonly TimelineEvent[]): string {
  const append = events.find((e) => e.type === 'wal.append' && e.op === 'delete');
  const insert = events.find((e) => e.type === 'memtable.insert' && e.op === 'delete');
  const rewritten = all(events, 'sstable.write');
  const read = last(events, 'read.end');
  const memtable = last(events, 'read.memtable');
  const parts: string[] = [];
  if (append?.type === 'wal.append' && insert)
    parts.push(
      `The delete appended a tombstone for ${text(append.key)} to ${append.file} and put it into the memtable.`,
    );
  if (rewritten.length > 0) parts.push(`SSTables written meanwhile: ${list(rewritten.map((t) => t.table.file))}.`);
  else parts.push('No SSTable was written or rewritten.');
  if (read) {
    if (!read.found && memtable?.found === 'tombstone')
      parts.push(`The Get met the tombstone in the memtable and stopped: not found.`);
    else parts.push(read.found ? `The Get found ${text(read.value)}.` : 'The Get did not find it.');
    if (read.hidden)
      parts.push(
        `The value it hides, ${text(read.hidden.value)}, still sits in ${read.hidden.source === 'memtable' ? 'the memtable' : read.hidden.source} until a compaction into the bottom level drops both.`,
      );
  }
  return parts.join(' ');
}

export const LESSONS: Lesson[] = [
  {
    id: 'write-path',
    title: '1. The write path and the WAL',
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        text: 'An LSM tree never updates data in place. A write is appended to the write-ahead log (WAL) on disk, flushed, and only then put into the memtable, a sorted structure in memory. This lesson starts from an empty database with a small memtable (256 bytes).',
      },
      {
        kind: 'predict',
        question: 'You put user:1 = Ada. Where do its bytes go first?',
        choices: [
          { id: 'wal', label: 'The write-ahead log (disk)' },
          { id: 'memtable', label: 'The memtable (memory)' },
          { id: 'sstable', label: 'An SSTable (disk)' },
        ],
        button: 'Put user:1 = Ada',
        actions: [{ op: 'put', key: 'user:1', value: 'Ada' }],
        outcome: (events) => {
          const type = first(events, ['wal.append', 'memtable.insert', 'sstable.write']);
          return type === 'wal.append' ? 'wal' : type === 'memtable.insert' ? 'memtable' : 'sstable';
        },
        explanation: explainWritePath,
      },
    ],
  },
  {
    id: 'flush',
    title: '2. Flush and SSTables',
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'When the memtable reaches its limit, it is written out as an SSTable: an immutable, sorted file. A new, empty WAL starts; the old one is deleted once the manifest records the SSTable.',
      },
      {
        kind: 'predict',
        question: 'You put two more keys and press Flush. What happens to the WAL that held them?',
        choices: [
          { id: 'kept', label: 'It stays: the WAL is forever' },
          { id: 'removed', label: 'It is deleted, after the SSTable is committed' },
          { id: 'truncated', label: 'It is emptied in place' },
        ],
        button: 'Put two keys, then Flush',
        actions: [...puts(['user:2', 'user:3'], 'Grace'), { op: 'flush' }],
        outcome: (events) => {
          const removed = events.findIndex((e) => e.type === 'wal.remove');
          const committed = events.findIndex((e) => e.type === 'manifest.edit' && e.added.length > 0);
          return removed >= 0 && committed >= 0 && committed < removed ? 'removed' : 'kept';
        },
        explanation: explainFlush,
      },
    ],
  },
  {
    id: 'crash',
    title: '3. Crash and recovery',
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'Simulate crash really terminates the worker running the engine: the memtable is gone; the files stay.',
      },
      {
        kind: 'try',
        text: 'Write a key that will only be in the memtable and the WAL.',
        button: 'Put user:4 = Alan',
        actions: [{ op: 'put', key: 'user:4', value: 'Alan' }],
      },
      {
        kind: 'predict',
        question: 'The process crashes now, before any flush. After recovery, is user:4 still there?',
        choices: [
          { id: 'yes', label: 'Yes' },
          { id: 'no', label: 'No: it was only in memory' },
        ],
        button: 'Crash, recover, and Get user:4',
        actions: [{ op: 'crash', kind: 'process' }, { op: 'recover' }, { op: 'get', key: 'user:4' }],
        outcome: (events) => {
          const end = last(events, 'read.end');
          return end?.found ? 'yes' : 'no';
        },
        explanation: explainRecovery,
      },
    ],
  },
  {
    id: 'read-path',
    title: '4. The read path, sparse index and bloom filters',
    setup: setup([]),
    steps: [
      {
        kind: 'explain',
        text: 'A Get looks in the memtable, then in the SSTables newest first. For each SSTable: is the key inside its range? Does its bloom filter say "maybe"? Only then does the sparse index name the one block to read.',
      },
      {
        kind: 'try',
        text: 'Build two SSTables with overlapping key ranges.',
        button: 'Write and flush twice',
        actions: [
          ...puts(['user:10', 'user:30', 'user:50'], 'Edsger'),
          { op: 'flush' },
          ...puts(['user:20', 'user:40', 'user:60'], 'Barbara'),
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        question:
          'Get user:35, a key that was never written but lies inside both SSTables’ ranges. How many data blocks are read?',
        choices: [
          { id: 'none', label: 'None: bloom filters rule both out' },
          { id: 'one', label: 'One' },
          { id: 'two', label: 'Two: one per SSTable' },
        ],
        button: 'Get user:35',
        actions: [{ op: 'get', key: 'user:35' }],
        outcome: (events) => {
          const blocks = last(events, 'read.end')?.blocksRead ?? -1;
          return blocks === 0 ? 'none' : blocks === 1 ? 'one' : 'two';
        },
        explanation: explainRead,
      },
    ],
  },
  {
    id: 'compaction',
    title: '5. Compaction and amplification',
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
        text: 'Every flush adds an SSTable to L0, and every L0 table is one more place a read must look. Leveled compaction merges L0 into L1 once L0 holds 4 files, keeping only the newest version of each key.',
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
    ],
  },
  {
    id: 'tombstones',
    title: '6. Deletes and tombstones',
    // user:10 in an SSTable, and nothing in the memtable: the question says so.
    setup: setup([...puts(['user:10', 'user:20'], 'Edsger'), { op: 'flush' }]),
    steps: [
      {
        kind: 'explain',
        text: 'SSTables are immutable, so a delete cannot remove a key from them. It writes a tombstone: a marker that hides older values.',
      },
      {
        kind: 'predict',
        question: 'user:10 lives in an SSTable. You delete it. Where is the delete recorded?',
        choices: [
          { id: 'memtable', label: 'A tombstone in the memtable (and the WAL)' },
          { id: 'sstable', label: 'The SSTable is rewritten without the key' },
        ],
        button: 'Delete user:10, then Get it',
        actions: [
          { op: 'delete', key: 'user:10' },
          { op: 'get', key: 'user:10' },
        ],
        outcome: (events) =>
          events.some((e) => e.type === 'memtable.insert' && e.op === 'delete') ? 'memtable' : 'sstable',
        explanation: explainDelete,
      },
    ],
  },
];

/**
 * The lesson a link names: its slug (`?lesson=compaction`), or, for links made before there were slugs, its
 * number counted from 1 (`?lesson=5`). Undefined for anything else.
 */
export function lessonBySlug(value: string | null | undefined): Lesson | undefined {
  if (!value) return undefined;
  const byId = LESSONS.find((l) => l.id === value);
  if (byId) return byId;
  const n = Number(value);
  return /^\d+$/.test(value) && n >= 1 ? LESSONS[n - 1] : undefined;
}
