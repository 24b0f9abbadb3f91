import { explainCompaction } from './explain';
import { type Chapter, first, type Lesson, last, puts, setup } from './lesson';

const LESSONS: Lesson[] = [
  {
    id: 'compaction',
    title: 'Compaction and amplification',
    topic: 'L0 fills with overlapping tables until leveled compaction merges them into L1.',
    note: 'Say: compaction trades bytes written now (write amplification) for fewer places to look later. Misconception: compaction runs on a timer — it runs when a level passes its trigger.',
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
];

export const COMPACTION: Chapter = { id: 'compaction', title: 'Compaction', lessons: LESSONS };
