import { explainWritePath } from './explain';
import { type Chapter, first, type Lesson, last, puts, setup } from './lesson';

const LESSONS: Lesson[] = [
  {
    id: 'write-path',
    title: 'The write path and the WAL',
    topic: 'A write is appended to the WAL and flushed before the memtable sees it.',
    note: 'Say: the log is the truth, the memtable is a sorted cache of its tail. Misconception: “the write goes to memory first and is saved later” — true of the page cache, not of a durable write.',
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
];

export const WRITES: Chapter = { id: 'writes', title: 'Writes', lessons: LESSONS };
