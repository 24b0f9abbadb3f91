// Chapter 1, Writes: the WAL and the memtable, the durability a write is acknowledged with, and the batch record
// with its checksum. Every reveal is told from the events of what the engine just did (see lesson.ts).
import type { TimelineEvent } from '../timeline';
import { explainWritePath } from './explain';
import { all, type Chapter, find, first, type Lesson, last, list, plural, puts, sentence, setup, text } from './lesson';

/** Where a WAL record is on the picture: the id a 'wal-record' pick points at. */
export const walRecordId = (file: string, offset: number) => `${file}@${offset}`;

/** The arrival order in the WAL against the key order in the memtable, for the writes of one step. */
export function explainLogOrder(events: readonly TimelineEvent[]): string {
  const appends = all(events, 'wal.append');
  if (appends.length === 0) return 'No write reached the WAL this time.';
  const parts = [
    sentence(
      `the WAL took ${list(appends.map((a) => `${text(a.key)} at byte ${a.offset} of ${a.file}`))}: each record goes at the end, in the order the writes arrived`,
    ),
  ];
  for (const insert of all(events, 'memtable.insert')) {
    // The search's last stop before the new node is the key it now follows in the list (the head: none).
    const before = (insert.path ?? []).filter((p) => p.key !== null && p.key !== insert.key).at(-1);
    parts.push(
      before
        ? `In the memtable ${text(insert.key)} went right after ${text(before.key)}.`
        : `In the memtable ${text(insert.key)} went first, ahead of every key there.`,
    );
  }
  parts.push('The log keeps arrival order, the memtable keeps key order: a flush writes the memtable’s order out.');
  return parts.join(' ');
}

/** Where a skip list search stood, lane by lane: "head (lane 2), user:40 (lane 2), user:40 (lane 0)". */
function describePath(path: NonNullable<Extract<TimelineEvent, { type: 'memtable.insert' }>['path']>): string {
  return path.map((p) => `${p.key === null ? 'the head' : text(p.key)} on lane ${p.lane}`).join(', ');
}

/** The keys a search stood at, the head left out: the memtable rows it passed through. */
export const pathKeys = (path: ReadonlyArray<{ key: string | null }> | undefined): string[] => [
  ...new Set((path ?? []).flatMap((p) => (p.key === null ? [] : [p.key]))),
];

/** Did the search move right along a lane above the bottom one (and so skip keys below it)? */
const skipped = (path: ReadonlyArray<{ lane: number; key: string | null }>) =>
  path.some((p, i) => i > 0 && p.lane > 0 && p.key !== null && path[i - 1]!.lane === p.lane);

/** The search that found a new key's place in the skip list, as the insert event reports it. */
export function explainSkipInsert(events: readonly TimelineEvent[]): string {
  const insert = last(events, 'memtable.insert');
  if (!insert) return 'Nothing went into the memtable this time.';
  if (!insert.path) return `${text(insert.key)} went into the memtable; the list is too large to draw its search.`;
  const others = insert.entries - 1;
  const stood = pathKeys(insert.path).filter((k) => k !== insert.key);
  const parts = [
    `The search for ${text(insert.key)}'s place stood at ${describePath(insert.path)}.`,
    `Of the ${plural(others, 'key')} already there it stood at ${plural(stood.length, 'key')}${stood.length > 0 ? ` (${list(stood.map(text))})` : ''}.`,
  ];
  parts.push(
    skipped(insert.path)
      ? 'It moved right on an upper lane, jumping over keys that stand only in the lanes below: that is the skip.'
      : 'It never moved right on an upper lane this time: no tall tower stood before the key, so it walked the bottom lane.',
  );
  if (insert.height !== undefined)
    parts.push(
      `${text(insert.key)}'s own tower is ${plural(insert.height, 'lane')} high: a coin flip per lane decides, so about half the nodes reach lane 1, a quarter lane 2.`,
    );
  return parts.join(' ');
}

/** A Get's search in the memtable's skip list. */
export function explainSkipGet(events: readonly TimelineEvent[]): string {
  const read = last(events, 'read.memtable');
  if (!read) return 'No Get ran.';
  const keys = pathKeys(read.path);
  const verdict =
    read.found === 'absent' ? 'did not find it' : `found ${read.found === 'value' ? 'it' : 'its tombstone'}`;
  return read.path
    ? `The Get of ${text(read.key)} stood at ${describePath(read.path)}, and ${verdict}: ${plural(keys.length, 'row')} of the memtable (${list(keys.map(text))}) were on its way, the others it jumped over or never reached.`
    : `The Get of ${text(read.key)} ${verdict} in the memtable.`;
}

/** What a power loss (or crash) took, against what the WAL had made durable: the replayed records, by key. */
export function explainPowerLoss(events: readonly TimelineEvent[]): string {
  const crash = find(events, 'crash');
  const begin = find(events, 'recovery.begin');
  const replays = all(events, 'recovery.replay');
  const torn = all(events, 'recovery.torn-tail');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  if (crash)
    parts.push(
      `The ${crash.kind === 'power' ? 'power loss' : 'crash'} wiped the memtable's ${plural(crash.memtableEntries, 'entry', 'entries')}.`,
    );
  const logs = begin?.files.filter((f) => f.file.endsWith('.log')) ?? [];
  if (logs.length > 0)
    parts.push(`On disk ${list(logs.map((f) => `${f.file} held ${f.size} bytes`))}: only what had been flushed.`);
  parts.push(
    replays.length > 0
      ? `Recovery replayed ${plural(replays.length, 'record')}: ${list(replays.map((r) => `${text(r.key)} (byte ${r.offset})`))}.`
      : 'Recovery found no record to replay.',
  );
  for (const t of torn)
    parts.push(`${t.file} ended in a torn record at byte ${t.offset}: ${t.droppedBytes} bytes were cut off.`);
  if (crash && crash.memtableEntries > replays.length)
    parts.push(
      `${plural(crash.memtableEntries - replays.length, 'write')} the memtable held did not come back: acknowledged, but never flushed to the WAL.`,
    );
  else if (crash)
    parts.push('Every write the memtable held came back: each had been flushed before it was acknowledged.');
  if (read)
    parts.push(
      read.found ? `The Get found ${text(read.key)} = ${text(read.value)}.` : `The Get did not find ${text(read.key)}.`,
    );
  return parts.join(' ');
}

/** How the writes of a step were acknowledged: records appended, and the flushes that made them durable. */
export function explainAcknowledged(events: readonly TimelineEvent[]): string {
  const appends = all(events, 'wal.append');
  const flushes = all(events, 'wal.flush');
  if (appends.length === 0) return 'No write reached the WAL.';
  return `${plural(appends.length, 'record')} appended to ${appends[0]!.file} (${list(appends.map((a) => text(a.key)))}), ${flushes.length === 0 ? 'and no flush of the WAL since' : `${plural(flushes.length, 'flush', 'flushes')} of the WAL (durable up to byte ${flushes.at(-1)!.size})`}.`;
}

/** A batch's WAL record(s) and the memtable inserts it became. */
export function explainBatch(events: readonly TimelineEvent[]): string {
  const batches = all(events, 'wal.batch');
  const appends = all(events, 'wal.append');
  const inserts = all(events, 'memtable.insert');
  const flushes = all(events, 'wal.flush');
  const parts: string[] = [];
  for (const b of batches)
    parts.push(
      `The batch became a single ${b.length}-byte record at byte ${b.offset} of ${b.file}, holding ${plural(b.writes.length, 'write')} (${list(b.writes.map((w) => `${w.op} ${text(w.key)}`))}) with sequence numbers ${b.seq} to ${b.seq + b.writes.length - 1}.`,
    );
  if (appends.length > 0) parts.push(`${plural(appends.length, 'single record')} were appended too.`);
  if (flushes.length > 0) parts.push(`${plural(flushes.length, 'flush', 'flushes')} of the WAL made it durable.`);
  if (inserts.length > 0) parts.push(`Then the memtable took ${plural(inserts.length, 'entry', 'entries')}.`);
  parts.push('One record, one checksum: recovery replays all of its writes or none.');
  return parts.join(' ');
}

/** What recovery made of a WAL with a flipped byte: the records it replayed, where it stopped and why. */
export function explainChecksum(events: readonly TimelineEvent[]): string {
  const replays = all(events, 'recovery.replay');
  const torn = all(events, 'recovery.torn-tail');
  const corrupt = all(events, 'corruption');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  parts.push(
    replays.length > 0
      ? `Recovery replayed ${plural(replays.length, 'record')}: ${list(replays.map((r) => (r.batch ? `a batch of ${r.batch} writes at byte ${r.offset}` : `${text(r.key)} at byte ${r.offset}`)))}.`
      : 'Recovery replayed no record.',
  );
  for (const t of torn)
    parts.push(
      `The record at byte ${t.offset} of ${t.file} failed its checksum and nothing valid followed it, so recovery treated it as a write torn by the crash: it cut ${t.file} at byte ${t.offset}, dropping ${t.droppedBytes} bytes.`,
    );
  for (const c of corrupt) parts.push(`Corruption reported in ${c.file} at byte ${c.offset}: ${c.detail}.`);
  if (torn.length === 0 && corrupt.length === 0) parts.push('No record failed its checksum.');
  if (read)
    parts.push(
      read.found
        ? `The Get found ${text(read.key)} = ${text(read.value)}.`
        : `The Get did not find ${text(read.key)}: no half of the batch was applied.`,
    );
  return parts.join(' ');
}

/** The skip list lesson's keys: five rows, enough for a tower to skip over, few enough to stay in the picture. */
const SKIP_KEYS = ['user:10', 'user:20', 'user:30', 'user:40', 'user:50'];

/** The batch lesson's batch: two puts and a delete, one record. */
const BATCH = [
  { key: 'user:2', value: 'Grace' },
  { key: 'user:1', value: null },
  { key: 'user:3', value: 'Alan' },
];

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
      {
        kind: 'predict',
        question: 'Now put user:3, then user:0. Where does user:0’s record go in the WAL?',
        choices: [
          { id: 'end', label: 'At the end, after user:3’s record' },
          { id: 'sorted', label: 'In key order, before user:1’s record' },
        ],
        button: 'Put user:3, then user:0',
        actions: puts(['user:3', 'user:0'], 'Edsger'),
        outcome: (events) => {
          const [a, b] = all(events, 'wal.append');
          return a && b && b.offset > a.offset ? 'end' : 'sorted';
        },
        explanation: explainLogOrder,
      },
      {
        kind: 'explain',
        text: 'So the two halves of the write path keep different orders: the WAL is a log in arrival order, only ever appended to, which makes a write one sequential disk write; the memtable keeps keys sorted, so that it can be read quickly and written out as a sorted file. Next lesson: how the memtable keeps them sorted.',
      },
    ],
  },
  {
    id: 'skip-list',
    title: 'The memtable is a skip list',
    topic: 'Sorted without rebalancing: random towers let a search skip most keys.',
    note: 'Say: a skip list is a sorted linked list with express lanes; the heights are coin flips, so no rebalancing is ever needed (LevelDB’s and RocksDB’s memtable). Misconception: the memtable is a hash table — it must be sorted, for scans and for the flush.',
    setup: setup(puts(SKIP_KEYS, 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'The setup put five keys, user:10 to user:50, into the memtable. It is a skip list: a sorted linked list (lane 0) where some nodes also stand in higher lanes, each an express lane skipping the nodes below it. Look at the picture: how tall is each node’s tower? A search starts at the head on the top lane, moves right while the next key is smaller, and drops a lane when it would overshoot.',
      },
      {
        kind: 'predict',
        question: 'You put user:45. Does the search for its place walk past every smaller key, one by one?',
        choices: [
          { id: 'walk', label: 'Yes: it steps through every smaller key on lane 0' },
          { id: 'skip', label: 'No: an upper lane lets it jump over some' },
        ],
        button: 'Put user:45',
        actions: [{ op: 'put', key: 'user:45', value: 'Grace' }],
        outcome: (events) => {
          const path = last(events, 'memtable.insert')?.path ?? [];
          return skipped(path) ? 'skip' : 'walk';
        },
        explanation: explainSkipInsert,
      },
      {
        kind: 'predict',
        question: 'Get user:50. Will its search stand at user:20 on its way?',
        choices: [
          { id: 'yes', label: 'Yes: every key before user:50 is passed' },
          { id: 'no', label: 'No: a taller tower lets it jump over user:20' },
        ],
        button: 'Get user:50',
        actions: [{ op: 'get', key: 'user:50' }],
        outcome: (events) =>
          pathKeys(last(events, 'read.memtable')?.path).some((k) => text(k) === 'user:20') ? 'yes' : 'no',
        explanation: explainSkipGet,
      },
      {
        kind: 'explain',
        text: 'With towers from coin flips, a search stands at about log₂ n nodes on average, and an insert only links the new node into the lanes of its own tower: nothing is rebalanced, which is why LevelDB chose it (and why readers can run alongside one writer without locks).',
      },
    ],
  },
  {
    id: 'durability',
    title: 'Durability: durable, group, relaxed',
    topic: 'When a write is acknowledged decides what a power loss can take from it.',
    note: 'Say: “durable” is a promise about the moment of acknowledgement; group commit keeps it and shares one flush among many writers; relaxed breaks it for speed. Misconception: a power loss only loses writes still in progress — in relaxed mode it takes acknowledged ones.',
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'The setup put user:1 in durable mode, where a write is acknowledged only after its WAL record is flushed: look for the ✓ on its record in the WAL. Group commit flushes a group of writes together and acknowledges each after its group’s flush. Relaxed mode acknowledges at once and flushes later (here at most once a minute, so you can see the gap).',
      },
      {
        kind: 'try',
        text: 'Switch to relaxed mode and put user:2 and user:3. Watch the WAL: do their records get a ✓ (flushed) before the puts return?',
        button: 'Relaxed: put user:2, user:3',
        actions: [
          { op: 'settings', changes: { durability: 'relaxed', groupCommitMs: 60_000 } },
          ...puts(['user:2', 'user:3'], 'Grace'),
        ],
      },
      {
        kind: 'pick',
        question: 'The power goes out, then the database recovers. Point at the WAL records that will come back.',
        target: 'wal-record',
        button: 'Power loss, then recover',
        actions: [{ op: 'crash', kind: 'power', seed: 7 }, { op: 'recover' }],
        answer: (events) => all(events, 'recovery.replay').map((r) => walRecordId(r.file, r.offset)),
        explanation: explainPowerLoss,
      },
      {
        kind: 'try',
        text: 'Switch to group commit (a 5 ms group) and put user:4. Watch its WAL record: is it flushed (✓) by the time the put returns?',
        button: 'Group: put user:4',
        actions: [{ op: 'settings', changes: { durability: 'group', groupCommitMs: 5 } }, ...puts(['user:4'], 'Alan')],
      },
      {
        kind: 'predict',
        question: 'The power goes out again. Does user:4 come back?',
        choices: [
          { id: 'yes', label: 'Yes: its group was flushed before it was acknowledged' },
          { id: 'no', label: 'No: group commit is as loose as relaxed' },
        ],
        button: 'Power loss, recover, Get user:4',
        actions: [{ op: 'crash', kind: 'power', seed: 7 }, { op: 'recover' }, { op: 'get', key: 'user:4' }],
        outcome: (events) => (last(events, 'read.end')?.found ? 'yes' : 'no'),
        explanation: explainPowerLoss,
      },
    ],
  },
  {
    id: 'batch-checksum',
    title: 'Batches and checksums',
    topic: 'A batch is one WAL record with one checksum: all of it or none of it comes back.',
    note: 'Say: atomicity comes from the record, not from locks — recovery either reads a whole record whose checksum matches, or stops. Misconception: a crash in the middle of a batch can leave half of it applied.',
    setup: setup(puts(['user:1'], 'Ada')),
    steps: [
      {
        kind: 'explain',
        text: 'A write batch groups puts and deletes that must happen together (move money: debit one key, credit another). The engine writes the whole batch as one WAL record, and every record carries a CRC32C checksum of its bytes.',
      },
      {
        kind: 'predict',
        question: 'You write a batch: put user:2, delete user:1, put user:3. How many WAL records does it make?',
        choices: [
          { id: 'one', label: 'One record for the whole batch' },
          { id: 'three', label: 'Three records, one per write' },
        ],
        button: 'Write the batch',
        actions: [{ op: 'batch', writes: BATCH }],
        outcome: (events) =>
          all(events, 'wal.batch').length === 1 && all(events, 'wal.append').length === 0 ? 'one' : 'three',
        explanation: explainBatch,
      },
      {
        kind: 'explain',
        text: 'Next, a cosmic ray: the corruption lab will flip one byte of the WAL on disk, inside the batch’s record, and crash the tab. Recovery then reads the WAL back and checks every record’s checksum. Watch the WAL: where does recovery stop?',
      },
      {
        kind: 'predict',
        question: 'After recovery, what is left of the batch (Get user:3)?',
        choices: [
          { id: 'all', label: 'All of it: the flipped bit is ignored' },
          { id: 'part', label: 'The writes before the flipped byte' },
          { id: 'none', label: 'None of it: the record fails its checksum' },
        ],
        button: 'Flip a byte, crash, recover, Get user:3',
        // Byte 50: inside the batch's record (which starts at byte 34, after user:1's 34-byte record).
        actions: [
          { op: 'corrupt', file: '000002.log', offset: 50 },
          { op: 'crash', kind: 'process' },
          { op: 'recover' },
          { op: 'get', key: 'user:3' },
        ],
        outcome: (events) => {
          const batch = all(events, 'recovery.replay').find((r) => r.batch);
          if (batch) return 'all';
          const keys = all(events, 'recovery.replay').map((r) => text(r.key));
          return keys.some((k) => k === 'user:2' || k === 'user:3') ? 'part' : 'none';
        },
        explanation: explainChecksum,
      },
    ],
  },
];

export const WRITES: Chapter = { id: 'writes', title: 'Writes', lessons: LESSONS };
