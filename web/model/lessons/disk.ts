// Chapter 2, Disk: the SSTable file (blocks, sparse index, bloom filter, footer), compression, and the manifest
// that commits it. Every reveal is told from the events of what the engine just did (see lesson.ts).
import type { TimelineEvent } from '../timeline';
import { explainFlush } from './explain';
import { all, type Chapter, find, type Lesson, last, list, plural, puts, setup, text } from './lesson';

/** "user:00", "user:02", …: keys with room between them for Gets of keys never written. */
const keys = (prefix: string, from: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => `${prefix}:${String(from + i * step).padStart(2, '0')}`);

/** "A" or "An" before a number said aloud: an 8-, 11-, 18-, 80-, 89-byte record. */
const article = (n: number) => (/^8/.test(String(n)) || n === 11 || n === 18 ? 'An' : 'A');

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** What a new SSTable is made of, from its meta: data blocks against the rest (index, filter, footer). */
export function explainTableBytes(events: readonly TimelineEvent[]): string {
  const written = last(events, 'sstable.write');
  if (!written) return 'No SSTable was written.';
  const t = written.table;
  return `${t.file} is ${t.size} bytes: the ${plural(t.entries, 'entry', 'entries')} take ${t.dataBytes} bytes of it in ${plural(t.blocks, 'data block')} (${percent(t.dataBytes, t.size)}%), and the other ${t.size - t.dataBytes} bytes are the sparse index (one line per block), the bloom filter, the footer and the 16-byte trailer. Small tables pay a lot for that; a 2 MiB table hardly notices.`;
}

/** Where a flushed table landed, as the picture draws it: the id a 'level' pick points at. */
export const flushLevel = (events: readonly TimelineEvent[]): string[] => {
  const written = last(events, 'sstable.write');
  return written ? [`L${written.table.level}`] : [];
};

export function explainFlushLevel(events: readonly TimelineEvent[]): string {
  const flush = find(events, 'flush.begin');
  const written = all(events, 'sstable.write');
  if (!flush || written.length === 0) return 'No flush ran this time.';
  const parts = [
    `The memtable filled (${flush.bytes} bytes, ${plural(flush.entries, 'entry', 'entries')}) and the flush (${flush.reason}) wrote ${written[0]!.table.file} into L${written[0]!.table.level}.`,
  ];
  if (written[0]!.table.level === 0)
    parts.push(
      'A flush always lands in L0: its keys overlap the other L0 tables’ ranges, and only a compaction moves data down.',
    );
  for (const w of written.slice(1)) parts.push(`Then ${w.table.file} was written into L${w.table.level}.`);
  return parts.join(' ');
}

/** How many data blocks a table got, and how big they are against the block size. */
export function explainBlocks(events: readonly TimelineEvent[]): string {
  const written = last(events, 'sstable.write');
  if (!written) return 'No SSTable was written.';
  const t = written.table;
  return `${t.file} holds ${plural(t.entries, 'entry', 'entries')} in ${plural(t.blocks, 'data block')}, ${t.dataBytes} bytes of data: about ${Math.round(t.dataBytes / Math.max(1, t.blocks))} bytes per block. A block is closed once it reaches the block size, so smaller blocks mean more of them, and one more line each in the sparse index.`;
}

/** A point read: the sparse index line chosen and the one block read. */
export function explainIndexRead(events: readonly TimelineEvent[]): string {
  const end = last(events, 'read.end');
  if (!end) return 'No Get ran.';
  const parts: string[] = [];
  for (const index of all(events, 'read.index')) {
    const i = index.index;
    const chosen = i.keys[i.chosen - i.from];
    parts.push(
      `${index.file}'s sparse index has ${plural(i.blocks, 'line')}, one per block, each the block's first key; the last line not after ${text(index.key)} is block ${i.chosen}'s${chosen ? ` (${text(chosen)})` : ''}.`,
    );
  }
  for (const block of all(events, 'read.block'))
    parts.push(
      `So block ${block.block} alone was read: ${block.blockSize} bytes at byte ${block.blockOffset}, ${plural(block.entries, 'entry', 'entries')}${block.cached ? ' (from the block cache)' : ''}.`,
    );
  parts.push(
    `${end.found ? `It found ${text(end.value)}` : 'Not found'}, with ${plural(end.blocksRead, 'data block')} read in all.`,
  );
  return parts.join(' ');
}

/** Two tables of the same keys, without and with compression: sizes from their metas. */
export function explainCompression(events: readonly TimelineEvent[]): string {
  const [plain, packed] = all(events, 'sstable.write').map((w) => w.table);
  if (!plain || !packed) return 'The two tables were not both written.';
  return `${plain.file} (no compression) is ${plain.size} bytes; ${packed.file} (deflate) is ${packed.size} bytes, ${percent(packed.size, plain.size)}% of it. Both hold the same ${plural(packed.entries, 'entry', 'entries')} and ${packed.dataBytes} bytes of data before compression: deflate squeezes each data block on its own, so repetitive values shrink most, and a read pays to inflate the one block it reads.`;
}

/** What the bloom filters said to a run of Gets for keys never written. */
export function explainBloomRun(events: readonly TimelineEvent[]): string {
  const probes = all(events, 'read.bloom');
  if (probes.length === 0) return 'No bloom filter was asked: no Get reached an SSTable with a filter.';
  const maybe = probes.filter((p) => p.maybe);
  const found = all(events, 'read.end').filter((r) => r.found).length;
  const blocks = all(events, 'read.end').reduce((n, r) => n + r.blocksRead, 0);
  const files = [...new Set(probes.map((p) => p.file))];
  const { bits, probes: k } = probes[0]!.bloom;
  const parts = [
    `${plural(probes.length, 'Get')} asked ${list(files)}'s filter (${bits} bits, ${plural(k.length, 'hash probe')} per key).`,
    `It said "certainly not here" ${plural(probes.length - maybe.length, 'time')} and "maybe" ${plural(maybe.length, 'time')}${maybe.length > 0 ? ` (${list(maybe.map((p) => text(p.key)))})` : ''}.`,
  ];
  if (found === 0 && maybe.length > 0)
    parts.push(
      `None of those keys exists, so every "maybe" was a false positive, and each cost a data block read (${plural(blocks, 'block')} in all): a measured false-positive rate of ${maybe.length} in ${probes.length} (${percent(maybe.length, probes.length)}%).`,
    );
  else if (found === 0)
    parts.push(
      `Not one false positive this time: ${plural(blocks, 'data block')} read for ${plural(probes.length, 'miss', 'misses')}.`,
    );
  return parts.join(' ');
}

/** A manifest record appended for a flush or a compaction: what it added and removed. */
export function explainManifestEdits(events: readonly TimelineEvent[]): string {
  const edits = all(events, 'manifest.edit');
  if (edits.length === 0) return 'Nothing was recorded in the manifest.';
  const parts = edits.map(
    (e) =>
      `${article(e.length)} ${e.length}-byte record was appended at byte ${e.offset} of ${e.file}${e.added.length > 0 ? `, adding ${list(e.added.map((t) => `${t.file} to L${t.level}`))}` : ''}${e.removed.length > 0 ? `${e.added.length > 0 ? ' and' : ','} removing ${list(e.removed)}` : ''} (log number ${e.logNumber}, last sequence ${e.lastSequence}).`,
  );
  const removed = all(events, 'sstable.remove').map((r) => r.file);
  if (removed.length > 0) parts.push(`Only after it was flushed were ${list(removed)} deleted.`);
  parts.push(
    edits.length === 1
      ? 'One record, flushed: before it the change does not exist, after it the whole of it does. That is the commit point.'
      : `${plural(edits.length, 'record')}, each its own commit point.`,
  );
  return parts.join(' ');
}

/** What recovery read from the manifest: each record replayed in order, and the version it added up to. */
export function explainManifestRecovery(events: readonly TimelineEvent[]): string {
  const edits = all(events, 'recovery.edit');
  const manifest = find(events, 'recovery.manifest');
  if (!manifest) return 'Recovery did not read a manifest.';
  const parts = [
    `Recovery read ${manifest.file} (${manifest.size} bytes) and replayed its ${plural(manifest.records, 'record')} in order:`,
  ];
  parts.push(
    `${list(
      edits.map(
        (e) =>
          `at byte ${e.offset} ${e.added.length + e.removed.length === 0 ? 'the starting point (no tables)' : [e.added.length > 0 ? `+${e.added.join(' +')}` : '', e.removed.length > 0 ? `−${e.removed.join(' −')}` : ''].filter(Boolean).join(' ')}`,
      ),
    )}.`,
  );
  parts.push(
    `What is left is the current version: ${manifest.tables.length === 0 ? 'no tables' : list(manifest.tables.map((t) => `${t.file} in L${t.level}`))}, with the WAL from number ${manifest.logNumber} on still needed.`,
  );
  const deleted = all(events, 'recovery.delete');
  if (deleted.length > 0) parts.push(`Files no version names were deleted: ${list(deleted.map((d) => d.file))}.`);
  return parts.join(' ');
}

/** The bloom lesson's tables: even-numbered keys, so that the odd ones in between are misses inside the range. */
const MISSES_A = keys('user', 1, 8, 2);
const MISSES_B = keys('item', 1, 8, 2);

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
      {
        kind: 'explain',
        text: 'Read the new file byte by byte: open Files (on the right) and choose it under “Inspect file”. First come the data blocks, the sorted key–value entries, each block closed by a checksum; then the index block, the sparse index, one line per data block; then the filter block, the bloom filter’s bits; then the footer, which says where the index and filter start and holds the table’s key range; last a 16-byte trailer ending in the magic “LSMT”. A reader opens a table from its end.',
      },
      {
        kind: 'predict',
        question: 'Put three more keys and flush. Of the new SSTable’s bytes, are most the key–value data?',
        choices: [
          { id: 'most', label: 'Yes: the data blocks are most of the file' },
          { id: 'less', label: 'No: index, filter and footer take half or more' },
        ],
        button: 'Put three keys, then Flush',
        actions: [...puts(['user:4', 'user:5', 'user:6'], 'Barbara'), { op: 'flush' }],
        outcome: (events) => {
          const t = last(events, 'sstable.write')?.table;
          return t && t.dataBytes * 2 > t.size ? 'most' : 'less';
        },
        explanation: explainTableBytes,
      },
      {
        kind: 'pick',
        question:
          'Put nine more keys without pressing Flush (the memtable holds 256 bytes). If they fill it and it flushes, where does the new file land? Point at the level.',
        target: 'level',
        single: true,
        button: 'Put nine keys',
        actions: puts(keys('user', 10, 9), 'Frances'),
        answer: flushLevel,
        explanation: explainFlushLevel,
      },
    ],
  },
  {
    id: 'blocks',
    title: 'Blocks, the sparse index and compression',
    topic: 'An SSTable is cut into blocks; the sparse index names the one block a read needs; blocks compress.',
    note: 'Say: the index is sparse — one key per block, not per entry — so it stays small enough to keep in memory, and a point read costs one block. Misconception: a read scans the whole file, or the index has every key.',
    setup: setup([], { memtableBytes: 4096 }),
    steps: [
      {
        kind: 'explain',
        text: 'An SSTable’s entries are cut into data blocks of about the block size (LevelDB: 4 KiB). The sparse index holds one line per block, its first key, so a Get binary-searches the index, then reads one block. This lesson’s memtable holds 4 KiB, so it flushes only when asked.',
      },
      {
        kind: 'predict',
        question:
          'With a block size of 64 bytes, you put twelve keys (user:00 … user:11) and flush. How many data blocks does the SSTable get?',
        choices: [
          { id: 'one', label: 'One' },
          { id: 'few', label: 'Two to four' },
          { id: 'many', label: 'Five or more' },
        ],
        button: 'Block size 64: put twelve keys, flush',
        actions: [
          { op: 'settings', changes: { blockSize: 64 } },
          ...puts(keys('user', 0, 12), 'Grace Hopper'),
          { op: 'flush' },
        ],
        outcome: (events) => {
          const blocks = last(events, 'sstable.write')?.table.blocks ?? 0;
          return blocks <= 1 ? 'one' : blocks <= 4 ? 'few' : 'many';
        },
        explanation: explainBlocks,
      },
      {
        kind: 'predict',
        question: 'Get user:07. How many data blocks does it read?',
        choices: [
          { id: 'one', label: 'One: the block the index names' },
          { id: 'all', label: 'All of them, until it finds the key' },
        ],
        button: 'Get user:07',
        actions: [{ op: 'get', key: 'user:07' }],
        outcome: (events) => ((last(events, 'read.end')?.blocksRead ?? 0) <= 1 ? 'one' : 'all'),
        explanation: explainIndexRead,
      },
      {
        kind: 'predict',
        question:
          'Back to 256-byte blocks: the same twelve keys with a repetitive value are flushed twice, first without compression, then with deflate. Which file is smaller?',
        choices: [
          { id: 'deflate', label: 'The deflated one' },
          { id: 'same', label: 'Neither: compression does not pay on so little data' },
        ],
        button: 'Flush without, then with deflate',
        actions: [
          { op: 'settings', changes: { blockSize: 256, compression: 'none' } },
          ...puts(keys('user', 0, 12), 'aaaaaaaaaaaaaaaa'),
          { op: 'flush' },
          { op: 'settings', changes: { compression: 'deflate' } },
          ...puts(keys('user', 0, 12), 'aaaaaaaaaaaaaaaa'),
          { op: 'flush' },
        ],
        outcome: (events) => {
          const [plain, packed] = all(events, 'sstable.write').map((w) => w.table);
          return plain && packed && packed.size < plain.size ? 'deflate' : 'same';
        },
        explanation: explainCompression,
      },
    ],
  },
  {
    id: 'bloom',
    title: 'Bloom filters, measured',
    topic: 'More bits per key, fewer false positives: count them on Gets for keys never written.',
    note: 'Say: k hash functions set k bits per key; a key whose k bits are not all set is certainly absent; at 10 bits per key about 1% of misses still say “maybe”. Misconception: a bloom filter can say a key is present — it only ever says “maybe”.',
    // user:00, user:02 … user:38 in one table with 10-bit filters: the odd keys between are misses in its range.
    setup: setup([...puts(keys('user', 0, 20, 2), 'Ada'), { op: 'flush' }], { memtableBytes: 4096 }),
    steps: [
      {
        kind: 'explain',
        text: 'The SSTable holds user:00, user:02 … user:38, with a bloom filter of 10 bits per key. For each key the filter sets k bits (its hashes); a Get hashes its key the same way and reads the data block only if all k bits are set: "maybe". A key never written can still find its bits all set by other keys: a false positive.',
      },
      {
        kind: 'predict',
        question: `Get eight keys that were never written, inside the table's range (${MISSES_A[0]}, ${MISSES_A[1]} … ${MISSES_A.at(-1)}). How often will the filter say "maybe"?`,
        choices: [
          { id: 'never', label: 'Never' },
          { id: 'once', label: 'Once or twice' },
          { id: 'often', label: 'Three times or more' },
        ],
        button: 'Get eight missing keys',
        actions: MISSES_A.map((key) => ({ op: 'get', key })),
        outcome: (events) => {
          const maybe = all(events, 'read.bloom').filter((p) => p.maybe).length;
          return maybe === 0 ? 'never' : maybe <= 2 ? 'once' : 'often';
        },
        explanation: explainBloomRun,
      },
      {
        kind: 'try',
        text: 'Now write item:00, item:02 … item:38 and flush them with bloomBitsPerKey = 2: a second table, with only 2 bits per key. Compare the two cards’ filters.',
        button: '2 bits per key: write and flush',
        actions: [
          { op: 'settings', changes: { bloomBitsPerKey: 2 } },
          ...puts(keys('item', 0, 20, 2), 'Ada'),
          { op: 'flush' },
        ],
      },
      {
        kind: 'predict',
        question: `Get eight missing keys inside the new table's range (${MISSES_B[0]} … ${MISSES_B.at(-1)}). How often will its 2-bit filter say "maybe"?`,
        choices: [
          { id: 'never', label: 'Never' },
          { id: 'once', label: 'Once or twice' },
          { id: 'often', label: 'Three times or more' },
        ],
        button: 'Get eight missing keys',
        actions: MISSES_B.map((key) => ({ op: 'get', key })),
        outcome: (events) => {
          const maybe = all(events, 'read.bloom').filter((p) => p.maybe).length;
          return maybe === 0 ? 'never' : maybe <= 2 ? 'once' : 'often';
        },
        explanation: explainBloomRun,
      },
    ],
  },
  {
    id: 'manifest',
    title: 'The manifest: versions and the commit point',
    topic: 'The manifest is a log of version edits; a table exists once a flushed record names it.',
    note: 'Say: the set of live files is itself kept as a log — each flush or compaction appends one edit, and replaying the edits gives the current version. Misconception: the database lists the directory to find its tables (no: a file the manifest does not name is garbage).',
    setup: setup([...puts(['user:1', 'user:2'], 'Ada'), { op: 'flush' }]),
    steps: [
      {
        kind: 'explain',
        text: 'The database’s tables are not found by listing the directory: the manifest says which they are. It is a log of edits (“add this table to L0”, “remove these”), each a checksummed record, flushed before anyone may rely on it. The setup flushed one table: in Files, find the manifest record that names it.',
      },
      {
        kind: 'predict',
        question: 'Put two keys and flush again. What happens to the manifest?',
        choices: [
          { id: 'append', label: 'One record is appended: “add the new table”' },
          { id: 'rewrite', label: 'It is rewritten with the full list of tables' },
        ],
        button: 'Put two keys, flush',
        actions: [...puts(['user:3', 'user:4'], 'Grace'), { op: 'flush' }],
        outcome: (events) => {
          const edit = last(events, 'manifest.edit');
          return edit && edit.offset > 0 && edit.removed.length === 0 ? 'append' : 'rewrite';
        },
        explanation: explainManifestEdits,
      },
      {
        kind: 'predict',
        question: 'Compact the two tables. How many manifest records does swapping the old tables for the new take?',
        choices: [
          { id: 'one', label: 'One: add the new table and remove the old ones together' },
          { id: 'two', label: 'Two: first add, then remove' },
        ],
        button: 'Compact',
        actions: [{ op: 'compact' }],
        outcome: (events) => {
          const edits = all(events, 'manifest.edit');
          return edits.length === 1 && edits[0]!.added.length > 0 && edits[0]!.removed.length > 0 ? 'one' : 'two';
        },
        explanation: explainManifestEdits,
      },
      {
        kind: 'predict',
        question: 'The tab crashes and the database opens again. How does recovery learn which tables are live?',
        choices: [
          { id: 'replay', label: 'It replays every manifest record, in order' },
          { id: 'last', label: 'It reads only the last record' },
          { id: 'list', label: 'It lists the .sst files in the directory' },
        ],
        button: 'Crash, recover',
        actions: [{ op: 'crash', kind: 'process' }, { op: 'recover' }],
        outcome: (events) => {
          const manifest = find(events, 'recovery.manifest');
          return manifest && manifest.records > 1 && all(events, 'recovery.edit').length === manifest.records
            ? 'replay'
            : 'last';
        },
        explanation: explainManifestRecovery,
      },
    ],
  },
];

export const DISK: Chapter = { id: 'disk', title: 'Disk', lessons: LESSONS };
