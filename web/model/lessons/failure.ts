// Failure: what a crash, a power cut or a flipped bit does to the files, and what recovery and the checksums make
// of it. Every reveal is told from the events of the crash (the page's `crash`, the worker's `crash.point`), of the
// recovery after it (recovery.*) and of the read that checks the outcome.
import type { TimelineEvent } from '../timeline';
import { explainRecovery } from './explain';
import { all, type Chapter, find, type Lesson, last, list, plural, puts, setup, text } from './lesson';

/** Where an armed crash point struck, in the lab's words (web/model/narrate.ts says it the same way). */
const WHERE: Record<string, string> = {
  'wal-append': 'in the middle of a WAL append',
  'before-memtable': 'after the WAL append, before the memtable',
  'mid-sstable': 'in the middle of writing an SSTable',
  'before-manifest': 'after the SSTable was written and flushed, before the manifest edit that would commit it',
  'mid-compaction': 'in the middle of a compaction',
};

/** The crash itself: which kind, where, and what it cut short. */
function tellCrash(events: readonly TimelineEvent[]): string[] {
  const point = find(events, 'crash.point');
  const crash = find(events, 'crash');
  const parts: string[] = [];
  if (point) {
    const who = point.kind === 'power' ? 'The power went out' : 'The process died';
    const torn = point.torn ? `, leaving ${point.torn.file} cut off at ${point.torn.size} bytes` : '';
    parts.push(`${who} ${WHERE[point.point] ?? point.point}${torn}.`);
  } else if (crash) parts.push(`The ${crash.kind === 'power' ? 'power went out' : 'process crashed'}.`);
  else parts.push('Nothing crashed.');
  const begin = find(events, 'flush.begin');
  const written = find(events, 'sstable.write');
  const edit = all(events, 'manifest.edit').find(
    (e) => written !== undefined && e.added.some((t) => t.file === written.table.file),
  );
  if (begin)
    parts.push(
      `The flush had taken the memtable's ${plural(begin.entries, 'entry', 'entries')}${written ? ` and written ${written.table.file}` : ''}${edit ? `, and the manifest record at byte ${edit.offset} of ${edit.file} had committed it` : written ? ', but no manifest record named it' : ''}.`,
    );
  if (crash)
    parts.push(
      crash.memtableEntries === 0
        ? 'The memtable was empty: the crash took nothing from memory.'
        : `The memtable's ${plural(crash.memtableEntries, 'entry', 'entries')} died with it.`,
    );
  return parts;
}

/** What recovery found, deleted and replayed, and what the Get after it said. */
function tellRecovery(events: readonly TimelineEvent[]): string[] {
  const parts: string[] = [];
  const manifest = find(events, 'recovery.manifest');
  const end = last(events, 'recovery.end');
  if (!end) return ['No recovery ran.'];
  if (manifest)
    parts.push(
      `Recovery read ${manifest.file} (${plural(manifest.records, 'record')}): it names ${manifest.tables.length === 0 ? 'no SSTable' : list(manifest.tables.map((t) => t.file))}.`,
    );
  const deleted = all(events, 'recovery.delete');
  for (const d of deleted) parts.push(`It deleted ${d.file}: ${d.reason}.`);
  const replays = all(events, 'recovery.replay');
  const files = [...new Set(replays.map((r) => r.file))];
  parts.push(
    replays.length > 0
      ? `It replayed ${plural(replays.length, 'WAL record')} from ${list(files)} (${list(replays.map((r) => text(r.key)))}) into a new memtable.`
      : 'It found no WAL record to replay.',
  );
  for (const t of all(events, 'recovery.torn-tail'))
    parts.push(
      `${t.file} ended in an incomplete record at byte ${t.offset}: recovery cut off those ${t.droppedBytes} bytes there.`,
    );
  const read = last(events, 'read.end');
  if (read)
    parts.push(
      read.found
        ? `The Get found ${text(read.key)} = ${text(read.value)} in ${read.source === 'memtable' ? 'the memtable' : read.source}.`
        : `The Get did not find ${text(read.key)}.`,
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
    parts.push(
      `${plural(appended.length, 'write')} (${list(appended.map((a) => text(a.key)))}) went to ${list([...new Set(appended.map((a) => a.file))])}; ${durable.length === 0 ? 'none of them' : list(durable.map((a) => text(a.key)))} ${durable.length === 1 ? 'was' : 'were'} flushed to disk before the power went.`,
    );
  }
  return [...parts, ...tellCrash(events).slice(0, 1), ...tellRecovery(events)].join(' ');
}

const LESSONS: Lesson[] = [
  {
    id: 'crash',
    title: 'Crash and recovery',
    topic: 'A crash loses the memtable, never an acknowledged write: recovery replays the WAL and deletes orphans.',
    note: 'Say: Simulate crash terminates the real worker; nothing is faked. The manifest is the one commit point, so a table it does not name is deleted, however complete. Misconception: data only in memory is lost — not if its WAL record was flushed first; and a whole SSTable on disk is not yet part of the database.',
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'Simulate crash really terminates the worker running the engine: the memtable is gone; the files stay.',
      },
      {
        kind: 'try',
        text: 'Put user:4, then find it on the picture: which of the WAL, the memtable and the SSTables hold it?',
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
      {
        kind: 'explain',
        text: 'A flush writes the memtable into an SSTable, flushes it, and only then appends the manifest record that names it: that record is the commit point. A crash between the two leaves a complete file that no manifest record names.',
      },
      {
        kind: 'predict',
        question:
          'The crash now strikes after the flush has written and flushed its SSTable, just before the manifest record. What does recovery do with that SSTable?',
        choices: [
          { id: 'deleted', label: 'Deletes it; the WAL brings its entries back' },
          { id: 'kept', label: 'Keeps it: its bytes are all there' },
        ],
        button: 'Flush with a crash before the manifest, recover, Get user:4',
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
    title: 'Crash points: a crash at each step of a flush',
    topic: 'Wherever a flush is cut short, recovery ends up at the last commit: the WAL, or the manifest’s tables.',
    note: 'Say: a flush is four steps (new WAL, write and flush the SSTable, manifest record, delete the old WAL), and a crash can fall between any two; recovery only ever trusts the manifest and the WAL. Misconception: a crash mid-flush loses the entries being flushed — their WAL is deleted only after the commit, so it is always still there.',
    setup: setup(puts(['user:1', 'user:2', 'user:3'], 'Grace')),
    steps: [
      {
        kind: 'explain',
        text: 'A flush: a new WAL takes new writes; the memtable is written into an SSTable and flushed; a manifest record naming it is appended and flushed (the commit point); only then is the old WAL deleted. The crash lab can kill the process at each of these steps.',
      },
      {
        kind: 'predict',
        question: 'The process dies halfway through writing the SSTable. After recovery, where is user:2?',
        choices: [
          { id: 'memtable', label: 'In the memtable again, replayed from the WAL' },
          { id: 'sstable', label: 'In the half-written SSTable' },
          { id: 'lost', label: 'Gone' },
        ],
        button: 'Flush, crash mid-SSTable, recover, Get user:2',
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
        question:
          'Now the SSTable is written and flushed completely, and the process dies before the manifest record. What becomes of that SSTable?',
        choices: [
          { id: 'deleted', label: 'Deleted by recovery: no manifest record names it' },
          { id: 'kept', label: 'Kept: it is complete' },
        ],
        button: 'Flush, crash before the manifest, recover, Get user:2',
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
        question:
          'This time the flush runs to the end (the manifest record, then the old WAL deleted), and only then does the process crash. Where does the Get find user:2 after recovery?',
        choices: [
          { id: 'sstable', label: 'In the committed SSTable' },
          { id: 'memtable', label: 'In the memtable, replayed from the WAL' },
          { id: 'lost', label: 'Gone' },
        ],
        button: 'Flush, crash, recover, Get user:2',
        actions: [{ op: 'flush' }, { op: 'crash', kind: 'process' }, { op: 'recover' }, { op: 'get', key: 'user:2' }],
        outcome: whereFound,
        explanation: explainCrashPoint,
      },
    ],
  },
  {
    id: 'power-loss',
    title: 'Power loss and torn writes',
    topic:
      'A power cut damages what was not flushed; a torn WAL record is cut off, and durability decides what that costs.',
    note: 'Say: a process crash keeps every byte handed to the OS; a power cut keeps only what was flushed, and the rest may be dropped, torn or garbled (the lab draws that at random from a seed, here a fixed one). Misconception: a torn record corrupts the database — its checksum fails at the end of the log, so recovery stops there; what it costs depends on whether the write had been acknowledged.',
    setup: setup(puts(['user:1', 'user:2', 'user:3'], 'Radia')),
    steps: [
      {
        kind: 'explain',
        text: 'A power loss is harsher than a process crash: every write not yet flushed to disk may be kept, dropped, torn in half or garbled. With durability "durable", a write is acknowledged only after its WAL record is flushed.',
      },
      {
        kind: 'predict',
        question:
          'Durability is "durable": user:1, user:2 and user:3 were each acknowledged after their WAL record was flushed. The power goes out now. After recovery, is user:3 there?',
        choices: [
          { id: 'yes', label: 'Yes: every acknowledged write comes back' },
          { id: 'no', label: 'No: a power cut loses the last writes' },
        ],
        button: 'Cut the power, recover, Get user:3',
        actions: [{ op: 'crash', kind: 'power', seed: 11 }, { op: 'recover' }, { op: 'get', key: 'user:3' }],
        outcome: (events) => (last(events, 'read.end')?.found ? 'yes' : 'no'),
        explanation: explainPowerLoss,
      },
      {
        kind: 'pick',
        question:
          'The power is set to go out in the middle of the next WAL append (user:4), then the database recovers. Point at the last WAL record you expect recovery to replay: where it stops.',
        target: 'wal-record',
        single: true,
        button: 'Put user:4 with the power cut mid-append, recover',
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
        question:
          'Durability "relaxed" acknowledges a write at once and flushes the WAL later (here at most every ten minutes). Put user:5 and user:6, then cut the power. Is user:6 there after recovery?',
        choices: [
          { id: 'yes', label: 'Yes: it was acknowledged' },
          { id: 'no', label: 'No: its record was never flushed' },
        ],
        button: 'Relaxed: put user:5 and user:6, cut the power, recover, Get user:6',
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
        text: 'Durable pays a flush per write and loses nothing acknowledged; group commit shares one flush among several writes; relaxed is fastest and, on a power cut, can lose its last acknowledged writes — but never leaves a hole in the middle of the log.',
      },
    ],
  },
  {
    id: 'corruption',
    title: 'Corruption: reported, never returned',
    topic: 'Every block carries a checksum: a flipped bit is reported with its file and byte, never read as a value.',
    note: 'Say: the engine cannot repair a flipped bit, but it can refuse to lie about it — the Get fails with a typed error naming file and offset, while keys in other blocks still read fine. Misconception: a corrupt file returns garbage, or makes the whole database unreadable.',
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
        text: 'Every data block, index and filter of an SSTable, and every WAL and manifest record, ends in a CRC32C checksum of its bytes. The corruption lab inverts every bit of one byte of a file, as a failing disk or a cosmic ray might.',
      },
      {
        kind: 'predict',
        question:
          'The corruption lab flips byte 20 of 000004.sst, the table the setup flushed: a byte of its first data block, where its first key, user:01, is stored. What does a Get of user:01 answer?',
        choices: [
          { id: 'error', label: 'An error naming the file and the byte' },
          { id: 'garbled', label: 'A garbled value' },
          { id: 'value', label: 'The value, as written' },
        ],
        button: 'Flip byte 20 of 000004.sst, Get user:01',
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
        question:
          'Now Get user:08, the table’s last key (which data block holds it? The hex inspector in Files shows the blocks). What does it answer?',
        choices: [
          { id: 'found', label: 'Its value: that block is intact' },
          { id: 'error', label: 'An error: the file is corrupt' },
        ],
        button: 'Get user:08',
        actions: [{ op: 'get', key: 'user:08' }],
        // Anything but the value read back is the error the question offers: the read failed.
        outcome: (events) => (!find(events, 'corruption') && last(events, 'read.end')?.found ? 'found' : 'error'),
        explanation: explainCorruption,
      },
      {
        kind: 'predict',
        question:
          'Compact everything: the compaction must read every block of 000004.sst. Does it copy the damaged block into a new file?',
        choices: [
          { id: 'refuses', label: 'No: it stops at the damage and says where' },
          { id: 'copies', label: 'Yes: it copies the bytes as they are' },
        ],
        button: 'Compact',
        actions: [{ op: 'compact' }],
        outcome: (events) => (find(events, 'corruption') && !find(events, 'compaction.end') ? 'refuses' : 'copies'),
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
  const tried = all(events, 'read.sstable').map((t) => t.file);
  const began = find(events, 'read.begin');
  if (begin) parts.push(`The compaction began on ${list(begin.inputs)}.`);
  for (const c of damage) parts.push(`The engine reported corruption in ${c.file} at byte ${c.offset} (${c.detail}).`);
  if (damage.length > 0 && began && !read)
    parts.push(
      `The Get of ${text(began.key)} failed with that typed error: it returned no value at all, rather than a wrong one.`,
    );
  if (damage.length > 0 && begin && !end)
    parts.push('The compaction failed there: it wrote no output, and the damaged file stays as it was.');
  if (end) parts.push(`The compaction wrote ${list(end.outputs)} into L${end.outputLevel}.`);
  if (read)
    parts.push(
      read.found
        ? `The Get of ${text(read.key)} read ${plural(read.blocksRead, 'data block')} of ${list(tried)}, its checksum verified, and found ${text(read.value)}.`
        : `The Get of ${text(read.key)} found nothing.`,
    );
  return parts.join(' ') || 'The engine read nothing this time.';
}

export const FAILURE: Chapter = { id: 'failure', title: 'Failure', lessons: LESSONS };
