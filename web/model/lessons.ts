// The guided lessons, in the order the ideas build on each other (mini-lsm's curriculum in spirit). Each is a
// few steps: an explanation, something to try on the live engine, and questions to answer BEFORE seeing what
// happens. The answer is then read off what the engine really did (its events), never from a script.
import type { TimelineEvent } from './timeline';

/** Something the lesson does on the live engine. */
export type LessonAction =
  | { do: 'reset'; memtableBytes: number }
  | { do: 'put'; key: string; value: string }
  | { do: 'puts'; keys: string[]; value: string }
  | { do: 'get'; key: string }
  | { do: 'delete'; key: string }
  | { do: 'flush' }
  | { do: 'crash' }
  | { do: 'recover' }
  | { do: 'compact' };

export type LessonStep =
  | { kind: 'explain'; text: string }
  | { kind: 'try'; text: string; button: string; actions: LessonAction[] }
  | {
      kind: 'predict';
      question: string;
      choices: Array<{ id: string; label: string }>;
      button: string;
      actions: LessonAction[];
      /** Which choice the engine's events (those emitted by `actions`) prove right. */
      outcome: (events: readonly TimelineEvent[]) => string;
      explanation: string;
    };

export interface Lesson {
  id: string;
  title: string;
  steps: LessonStep[];
}

const first = (events: readonly TimelineEvent[], types: TimelineEvent['type'][]) =>
  events.find((e) => types.includes(e.type))?.type;

export const LESSONS: Lesson[] = [
  {
    id: 'write-path',
    title: '1. The write path and the WAL',
    steps: [
      {
        kind: 'explain',
        text: 'An LSM tree never updates data in place. A write is appended to the write-ahead log (WAL) on disk, flushed, and only then put into the memtable, a sorted structure in memory.',
      },
      {
        kind: 'try',
        text: 'Start from an empty database with a small memtable (256 bytes).',
        button: 'Reset the database',
        actions: [{ do: 'reset', memtableBytes: 256 }],
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
        actions: [{ do: 'put', key: 'user:1', value: 'Ada' }],
        outcome: (events) => {
          const type = first(events, ['wal.append', 'memtable.insert', 'sstable.write']);
          return type === 'wal.append' ? 'wal' : type === 'memtable.insert' ? 'memtable' : 'sstable';
        },
        explanation:
          'The WAL record is appended and flushed before the memtable sees the write: if the tab died right after, the record on disk brings the write back.',
      },
    ],
  },
  {
    id: 'flush',
    title: '2. Flush and SSTables',
    steps: [
      {
        kind: 'explain',
        text: 'When the memtable reaches its limit, it is written out as an SSTable: an immutable, sorted file. A new, empty WAL starts; the old one is deleted once the manifest records the SSTable.',
      },
      {
        kind: 'predict',
        question: 'You press Flush with a few keys in the memtable. What happens to the WAL that held them?',
        choices: [
          { id: 'kept', label: 'It stays: the WAL is forever' },
          { id: 'removed', label: 'It is deleted, after the SSTable is committed' },
          { id: 'truncated', label: 'It is emptied in place' },
        ],
        button: 'Put two keys, then Flush',
        actions: [{ do: 'puts', keys: ['user:2', 'user:3'], value: 'Grace' }, { do: 'flush' }],
        outcome: (events) => {
          const removed = events.findIndex((e) => e.type === 'wal.remove');
          const committed = events.findIndex((e) => e.type === 'manifest.edit' && e.added.length > 0);
          return removed >= 0 && committed >= 0 && committed < removed ? 'removed' : 'kept';
        },
        explanation:
          'The SSTable holds everything the old WAL did, and the manifest record naming it is the commit point: only after it is flushed is the old WAL deleted.',
      },
    ],
  },
  {
    id: 'crash',
    title: '3. Crash and recovery',
    steps: [
      {
        kind: 'explain',
        text: 'Simulate crash really terminates the worker running the engine: the memtable is gone; the files stay.',
      },
      {
        kind: 'try',
        text: 'Write a key that will only be in the memtable and the WAL.',
        button: 'Put user:4 = Alan',
        actions: [{ do: 'put', key: 'user:4', value: 'Alan' }],
      },
      {
        kind: 'predict',
        question: 'The process crashes now, before any flush. After recovery, is user:4 still there?',
        choices: [
          { id: 'yes', label: 'Yes' },
          { id: 'no', label: 'No: it was only in memory' },
        ],
        button: 'Crash, recover, and Get user:4',
        actions: [{ do: 'crash' }, { do: 'recover' }, { do: 'get', key: 'user:4' }],
        outcome: (events) => {
          const end = [...events].reverse().find((e) => e.type === 'read.end');
          return end?.type === 'read.end' && end.found ? 'yes' : 'no';
        },
        explanation:
          'Recovery replayed the WAL record by record into a new memtable: an acknowledged write survives a crash.',
      },
    ],
  },
  {
    id: 'read-path',
    title: '4. The read path, sparse index and bloom filters',
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
          { do: 'puts', keys: ['user:10', 'user:30', 'user:50'], value: 'Edsger' },
          { do: 'flush' },
          { do: 'puts', keys: ['user:20', 'user:40', 'user:60'], value: 'Barbara' },
          { do: 'flush' },
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
        actions: [{ do: 'get', key: 'user:35' }],
        outcome: (events) => {
          const end = [...events].reverse().find((e) => e.type === 'read.end');
          const blocks = end?.type === 'read.end' ? end.blocksRead : -1;
          return blocks === 0 ? 'none' : blocks === 1 ? 'one' : 'two';
        },
        explanation:
          'A bloom filter answers "definitely not here" or "maybe". At 10 bits per key it says "maybe" wrongly about 1 time in 100, so an absent key almost never costs a block read.',
      },
    ],
  },
  {
    id: 'compaction',
    title: '5. Compaction and amplification',
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
          { do: 'puts', keys: ['user:15', 'user:25'], value: 'Donald' },
          { do: 'flush' },
          { do: 'puts', keys: ['user:35', 'user:45'], value: 'Frances' },
          { do: 'flush' },
        ],
        outcome: (events) => (events.some((e) => e.type === 'compaction.begin') ? 'compact' : 'nothing'),
        explanation:
          'The compaction read the L0 tables, merged them newest-wins, and wrote L1 files: more bytes written (write amplification) for fewer files per read (read amplification). Both are measured in the Amplification section of the Workload panel (on the right).',
      },
    ],
  },
  {
    id: 'tombstones',
    title: '6. Deletes and tombstones',
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
          { do: 'delete', key: 'user:10' },
          { do: 'get', key: 'user:10' },
        ],
        outcome: (events) =>
          events.some((e) => e.type === 'memtable.insert' && e.op === 'delete') ? 'memtable' : 'sstable',
        explanation:
          'The Get met the tombstone in the memtable and stopped: not found. The old value still sits in its SSTable until a compaction at the bottom level drops both.',
      },
    ],
  },
];
