import { explainFlush } from './explain';
import { type Chapter, first, type Lesson, last, puts, setup } from './lesson';

const LESSONS: Lesson[] = [
  {
    id: 'flush',
    title: 'Flush and SSTables',
    topic: 'A full memtable becomes an immutable SSTable; the manifest commits it, then the old WAL goes.',
    note: 'Say: the manifest record is the commit point — before it the new file does not exist for the database. Misconception: the WAL is emptied in place; it is deleted only after the table is committed.',
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
];

export const DISK: Chapter = { id: 'disk', title: 'Disk', lessons: LESSONS };
