import { explainDelete, explainRead } from './explain';
import { type Chapter, first, type Lesson, last, puts, setup } from './lesson';

const LESSONS: Lesson[] = [
  {
    id: 'read-path',
    title: 'The read path, sparse index and bloom filters',
    topic: 'A Get checks the memtable, then tables newest first: range, bloom filter, sparse index, one block.',
    note: "Say: the bloom filter answers “certainly not” or “maybe”, never a wrong “no”. Misconception: a key inside a file's range costs a block read — the filter usually saves it.",
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
    id: 'tombstones',
    title: 'Deletes and tombstones',
    topic: 'A delete is a write: a tombstone hides older versions until compaction drops both.',
    note: 'Say: SSTables never change, so deleting writes more. Misconception: a delete frees space at once — only a compaction into the bottom level does.',
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

export const READS: Chapter = { id: 'reads', title: 'Reads', lessons: LESSONS };
