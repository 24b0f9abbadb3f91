import type { TimelineEvent } from '../timeline';
import { explainDelete, explainRead } from './explain';
import { all, type Chapter, find, type Lesson, last, list, plural, puts, sentence, setup, text } from './lesson';

/** A source of a read as a sentence names it. */
const where = (source: string) => (source === 'memtable' ? 'the memtable' : source);

/** Each merge step of a scan, as the engine reported it: the winner, and what it passed over. */
function mergeSteps(events: readonly TimelineEvent[]): string[] {
  return all(events, 'scan.step').map((step) => {
    const won =
      step.op === 'put'
        ? `${text(step.key)} = ${text(step.value)} from ${where(step.source)} (#${step.seq})`
        : `${text(step.key)}: a tombstone in ${where(step.source)} (#${step.seq}) won, so the key was left out`;
    const passed = step.skipped.map(
      (v) => `#${v.seq} in ${where(v.source)}${v.why === 'invisible' ? ' (written after the snapshot)' : ''}`,
    );
    return passed.length > 0 ? `${won}, passing over ${list(passed)}` : won;
  });
}

/** What a scan did: the sources it merged, each step, and what it returned. */
export function explainScan(events: readonly TimelineEvent[]): string {
  const begin = find(events, 'scan.begin');
  const end = last(events, 'scan.end');
  if (!begin || !end) return 'No scan ran this time.';
  const steps = mergeSteps(events);
  return [
    `The scan opened a cursor on each of ${plural(begin.sources.length, 'sorted source')} (${list(begin.sources.map(where))}) and took the smallest key under them, step by step:`,
    steps.length > 0 ? `${steps.join('; ')}.` : 'no key was in range.',
    `It returned ${plural(end.count, 'pair')} in key order; ${plural(end.shadowed, 'older version')} and ${plural(end.tombstones, 'deleted key')} were skipped.`,
  ].join(' ');
}

/** A Get at a snapshot: the write that came after it, the version the memtable kept, and the answer. */
export function explainSnapshotRead(events: readonly TimelineEvent[]): string {
  const begin = find(events, 'read.begin');
  const end = last(events, 'read.end');
  if (!begin || !end) return 'No read ran this time.';
  const insert = all(events, 'memtable.insert').find((e) => e.key === begin.key);
  const parts: string[] = [];
  if (insert) {
    const kept = insert.older?.filter((v) => v.seenBy.length > 0) ?? [];
    parts.push(
      `The put of ${text(insert.value)} took sequence number #${insert.seq}${begin.at !== undefined ? `, after the snapshot's #${begin.at}` : ''}.`,
      kept.length > 0
        ? `The memtable kept the older version behind it (${list(kept.map((v) => `${text(v.value)} #${v.seq}, seen by snapshot ${v.seenBy.map((s) => `#${s}`).join(', ')}`))}).`
        : 'The memtable kept no older version behind it.',
    );
  }
  const memtable = find(events, 'read.memtable');
  const at = begin.at === undefined ? 'The Get' : `The Get at snapshot #${begin.at}`;
  parts.push(
    end.found
      ? `${at} answered ${text(end.value)} from ${where(end.source ?? '')}${memtable?.seq !== undefined && end.source === 'memtable' ? ` (version #${memtable.seq})` : ''}.`
      : `${at} found nothing.`,
  );
  return parts.join(' ');
}

/** What a flush or compaction kept for snapshots, and what it dropped, as snapshot.kept and compaction.end say. */
export function explainKept(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  const release = find(events, 'snapshot.release');
  if (release)
    parts.push(
      `The snapshot at #${release.seq} was released (${release.live.length === 0 ? 'none is left' : `still live: ${list(release.live.map((s) => `#${s}`))}`}).`,
    );
  for (const written of all(events, 'sstable.write')) {
    parts.push(`${written.table.file} was written with ${plural(written.table.entries, 'entry', 'entries')}.`);
  }
  const kept = all(events, 'snapshot.kept');
  for (const k of kept) {
    const named = (k.shown ?? []).map((v) => `${text(v.key)} = ${text(v.value)} #${v.seq} in ${v.file}`);
    parts.push(
      `The ${k.by} kept ${plural(k.versions, 'older version')} for snapshot ${list(k.snapshots.map((s) => `#${s}`))}${named.length ? `: ${list(named)}` : ''}.`,
    );
  }
  for (const end of all(events, 'compaction.end')) {
    const dropped = (end.dropped ?? []).filter((d) => d.why === 'shadowed');
    parts.push(
      end.entriesRead === 0
        ? `The compaction moved ${list(end.outputs)} down to L${end.outputLevel} as it was: nothing was read, nothing dropped.`
        : `The compaction read ${plural(end.entriesRead, 'entry', 'entries')} and wrote ${end.entriesWritten}${dropped.length ? `, dropping ${list(dropped.map((d) => `${text(d.key)} #${d.seq}`))}: no reader could see ${dropped.length === 1 ? 'it' : 'them'} any more` : ', dropping no older version'}.`,
    );
  }
  if (kept.length === 0 && all(events, 'sstable.write').length > 0) parts.push('Nothing was kept for a snapshot.');
  return parts.length > 0 ? parts.join(' ') : sentence('nothing was written this time');
}

/** The SSTables a Get read a data block of: what its read.block events name. */
const blocksReadFrom = (events: readonly TimelineEvent[]) => [...new Set(all(events, 'read.block').map((e) => e.file))];

/** What a compaction to the last level did with a tombstone and the value under it, and what a Get then met. */
function explainReclaim(events: readonly TimelineEvent[]): string {
  const ends = all(events, 'compaction.end');
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const read = last(events, 'read.end');
  if (ends.length === 0) return 'No compaction ran: the tombstone and the value it hides are where they were.';
  const parts: string[] = [];
  if (flushed.length > 0) parts.push(`The memtable, tombstone included, was flushed first into ${list(flushed)}.`);
  for (const end of ends)
    parts.push(
      `A compaction read ${list(end.inputs)} and wrote ${end.outputs.length > 0 ? list(end.outputs) : 'no file'} into L${end.outputLevel}: of ${plural(end.entriesRead, 'entry', 'entries')} it kept ${end.entriesWritten}, dropping ${plural(end.droppedTombstones, 'tombstone')} and ${plural(end.droppedShadowed, 'older version')}.`,
    );
  const dropped = ends.flatMap((e) => e.dropped ?? []).map((d) => `${text(d.key)} #${d.seq} (${d.why})`);
  if (dropped.length > 0) parts.push(`Dropped: ${list(dropped)}.`);
  if (read)
    parts.push(read.found ? `The Get found ${text(read.value)}.` : `The Get of ${text(read.key)} found nothing.`);
  return parts.join(' ');
}

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
      {
        kind: 'pick',
        question:
          'Now Get user:50, which was written. Point at every SSTable you expect the Get to read a data block of.',
        target: 'table',
        button: 'Get user:50',
        actions: [{ op: 'get', key: 'user:50' }],
        answer: blocksReadFrom,
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
        question: 'The setup flushed user:10 into an SSTable. You delete it. Where is the delete recorded?',
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
      {
        kind: 'predict',
        question:
          'Press Compact: every key is merged down to the last level. What becomes of the tombstone and the value it hides?',
        choices: [
          { id: 'both', label: 'Both are dropped: nothing older can be hiding below the last level' },
          { id: 'tombstone', label: 'The tombstone stays, to keep hiding the value' },
          { id: 'neither', label: 'Both stay: a compaction only merges' },
        ],
        button: 'Compact, then Get user:10',
        actions: [{ op: 'compact' }, { op: 'get', key: 'user:10' }],
        outcome: (events) => {
          const ends = all(events, 'compaction.end');
          const tombstones = ends.reduce((n, e) => n + e.droppedTombstones, 0);
          const shadowed = ends.reduce((n, e) => n + e.droppedShadowed, 0);
          return tombstones > 0 && shadowed > 0 ? 'both' : tombstones === 0 ? 'tombstone' : 'neither';
        },
        explanation: explainReclaim,
      },
    ],
  },
  {
    id: 'merge-iterator',
    title: 'The merge iterator: a scan merges every source, newest wins',
    topic:
      'A scan keeps a cursor on the memtable and on every SSTable and always takes the smallest key; of a key held twice, the newest version wins.',
    note: 'Say: a scan cannot use the bloom filters or stop at the first hit — every source may hold keys of the range, so all are merged, like the merge step of merge sort. Misconception: the newest file holds the answer for every key; in fact each key is decided on its own, by sequence number.',
    // Two SSTables and the memtable, each holding some of user:1..3, user:1 and user:3 twice.
    setup: setup([
      ...puts(['user:1', 'user:3'], 'Ada'),
      { op: 'flush' },
      ...puts(['user:2', 'user:3'], 'Grace'),
      { op: 'flush' },
      ...puts(['user:1'], 'Alan'),
    ]),
    steps: [
      {
        kind: 'explain',
        text: 'A Get stops at the first source that has its key. A scan cannot: every source (the memtable and each SSTable) may hold keys of its range. So it opens a cursor on each, all sorted by key, and repeatedly takes the smallest key under the cursors. Watch the cursors on the memtable rows and on the cards.',
      },
      {
        kind: 'predict',
        question:
          'user:1 was written to an SSTable (Ada), then again to the memtable (Alan). Scan every key: what does the scan return for user:1?',
        choices: [
          { id: 'memtable', label: 'Alan, from the memtable: the older Ada is passed over' },
          { id: 'sstable', label: 'Ada: what is on disk counts' },
          { id: 'both', label: 'Both versions, one after the other' },
        ],
        button: 'Scan every key',
        actions: [{ op: 'scan', start: '', end: '' }],
        outcome: (events) => {
          const steps = all(events, 'scan.step').filter((s) => text(s.key) === 'user:1');
          if (steps.length > 1) return 'both';
          return steps[0]?.source === 'memtable' ? 'memtable' : 'sstable';
        },
        explanation: explainScan,
      },
      {
        kind: 'predict',
        question: 'Delete user:2 (it lies only in an SSTable), then scan again. How many pairs come back?',
        choices: [
          { id: 'two', label: 'Two: the tombstone wins the merge and hides user:2' },
          { id: 'three', label: 'Three: the SSTable still holds user:2' },
        ],
        button: 'Delete user:2, then scan',
        actions: [
          { op: 'delete', key: 'user:2' },
          { op: 'scan', start: '', end: '' },
        ],
        outcome: (events) => {
          const count = last(events, 'scan.end')?.count ?? -1;
          return count === 2 ? 'two' : count === 3 ? 'three' : String(count);
        },
        explanation: explainScan,
      },
    ],
  },
  {
    id: 'snapshots',
    title: 'Snapshots: a read at a sequence number, and what a snapshot keeps alive',
    topic:
      'A snapshot is a sequence number: reads at it see no later write, and flushes and compactions keep the versions it sees until it is released.',
    note: 'Say: taking a snapshot copies nothing — it only remembers a number; the cost comes later, as old versions that cannot be dropped. Misconception: a snapshot is a copy of the data (or, the other way round, that overwriting a key destroys the old value at once).',
    setup: setup([...puts(['user:1'], 'Ada'), ...puts(['user:2'], 'Grace')]),
    steps: [
      {
        kind: 'explain',
        text: 'Every write takes the next sequence number (the #n beside each memtable row). A snapshot is one such number: a read at it sees, of each key, the newest version at or below it.',
      },
      {
        kind: 'try',
        text: 'Take a snapshot, then look for its marker on the sequence line at the top of the memtable: at which sequence number does it stand?',
        button: 'Take a snapshot',
        actions: [{ op: 'snapshot' }],
      },
      {
        kind: 'predict',
        question: 'Overwrite user:1 with Alan, then Get user:1 at the snapshot. What comes back?',
        choices: [
          { id: 'old', label: 'Ada: the snapshot sees no write after its number' },
          { id: 'new', label: 'Alan: the newest value always wins' },
          { id: 'none', label: 'Nothing: the overwrite replaced Ada' },
        ],
        button: 'Put user:1 = Alan, then Get at the snapshot',
        actions: [
          { op: 'put', key: 'user:1', value: 'Alan' },
          { op: 'get', key: 'user:1', at: 'snapshot' },
        ],
        outcome: (events) => {
          const end = last(events, 'read.end');
          const written = find(events, 'memtable.insert');
          if (!end?.found) return 'none';
          return end.value === written?.value ? 'new' : 'old';
        },
        explanation: explainSnapshotRead,
      },
      {
        kind: 'predict',
        question: 'Flush the memtable while the snapshot lives. What happens to the old version of user:1 (Ada)?',
        choices: [
          { id: 'kept', label: 'It goes into the SSTable too: the snapshot still sees it' },
          { id: 'dropped', label: 'Dropped: a flush writes only the newest version of each key' },
        ],
        button: 'Flush',
        actions: [{ op: 'flush' }],
        outcome: (events) =>
          all(events, 'snapshot.kept').some((k) => (k.shown ?? []).some((v) => text(v.key) === 'user:1'))
            ? 'kept'
            : 'dropped',
        explanation: explainKept,
      },
      {
        kind: 'predict',
        question: 'Release the snapshot, then compact. Does the old version of user:1 survive?',
        choices: [
          { id: 'dropped', label: 'No: no reader can see it any more, so the compaction drops it' },
          { id: 'kept', label: 'Yes: what is in an SSTable stays until the key is deleted' },
        ],
        button: 'Release, then compact',
        actions: [{ op: 'release', seq: 'oldest' }, { op: 'compact' }],
        outcome: (events) =>
          all(events, 'compaction.end').some((e) =>
            (e.dropped ?? []).some((d) => text(d.key) === 'user:1' && d.why === 'shadowed'),
          )
            ? 'dropped'
            : 'kept',
        explanation: explainKept,
      },
    ],
  },
];

export const READS: Chapter = { id: 'reads', title: 'Reads', lessons: LESSONS };
