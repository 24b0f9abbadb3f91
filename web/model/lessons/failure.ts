import { explainRecovery } from './explain';
import { type Chapter, first, type Lesson, last, puts, setup } from './lesson';

const LESSONS: Lesson[] = [
  {
    id: 'crash',
    title: 'Crash and recovery',
    topic: 'A crash loses the memtable, never an acknowledged write: recovery replays the WAL.',
    note: 'Say: Simulate crash terminates the real worker; nothing is faked. Misconception: data only in memory is lost — not if its WAL record was flushed first.',
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
];

export const FAILURE: Chapter = { id: 'failure', title: 'Failure', lessons: LESSONS };
