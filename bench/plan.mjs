// What the benchmark runs: the tasks (each in its own worker, see src/protocol.ts), their sizes in the full and
// the smoke run, and how their measures make up the ten workloads and the targets of the report.

import { targetTasks } from './targets.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Sizes. `smoke` is the CI run: tiny, one repetition (two pairs for the targets), well under a minute. `pairs`:
 * how many interleaved pairs every task a target reads runs (the target is judged on their median). `ui`: workloads run through the app's
 * Workload panel; `memtable` is picked in its Engine settings (null: the app's default, 256 B, which flushes
 * every few writes so a class can watch it: thousands of flushes for a big workload, too slow for 20k ops).
 */
export function sizes(mode) {
  if (mode === 'smoke') {
    return {
      reps: 1,
      pairs: 2,
      durable: { small: 100, large: 50 },
      paired: { n: 100, rounds: 10 },
      batched: { small: 1000, large: 500 },
      pairedBatch: { rounds: 4 },
      read: { n: 2000, gets: 1000, idbGets: 200 },
      growth: [1000, 10_000],
      growthSkipped: { 100000: 'smoke run: small sizes only', 1000000: 'smoke run: small sizes only' },
      recovery: { n: 2000, turns: 2 },
      compaction: { n: 5000, memtableBytes: 64 * KiB, turns: 2 },
      ui: [{ name: 'bulk load', operations: 300, memtable: '64 KiB', target: true }],
      timeoutMs: 45_000,
      bigTimeoutMs: 45_000,
    };
  }
  return {
    reps: 3,
    pairs: 5,
    durable: { small: 2000, large: 1000 },
    paired: { n: 2000, rounds: 40 },
    batched: { small: 20_000, large: 5000 },
    pairedBatch: { rounds: 10 },
    read: { n: 100_000, gets: 20_000, idbGets: 2000 },
    growth: [1000, 10_000, 100_000, 1_000_000],
    growthSkipped: {},
    recovery: { n: 50_000, turns: 4 },
    compaction: { n: 100_000, memtableBytes: 1 * MiB, turns: 4 },
    ui: [
      { name: 'bulk load', operations: 100_000, memtable: '64 KiB', target: true },
      { name: 'classroom default', operations: 2000, memtable: '256 B', target: true },
    ],
    timeoutMs: 180_000,
    bigTimeoutMs: 300_000,
  };
}

export const GROWTH_MEMTABLE = 4 * MiB;
/** A block cache that holds every block of the largest growth dataset (1M keys: about 140 MB of blocks). */
export const GROWTH_CACHE_ALL = 256 * MiB;
/** 256 KiB memtables put 100k keys (13 MB of entries) over L0-L3 under leveled compaction's defaults. */
export const READ_MEMTABLE = 256 * KiB;

const label = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

/**
 * The tasks, in the order they run (the slowest last, so a timeout there costs nothing else). Tasks of one
 * `group` run their repetitions interleaved, one per worker, round-robin (A B A B ...): on a shared machine a
 * noisy stretch then hits every subject of the comparison rather than one, and repetition i of each member is
 * pair i of the targets that compare them (targets.mjs). Targets whose two sides are measures of one task
 * (durable put, 1M-key get, recovery, compaction) take turns inside its worker, several turns per repetition, and
 * each side's time in a pair is the sum of its turns. Every task a target reads runs `pairs` repetitions.
 */
export function tasks(mode) {
  const s = sizes(mode);
  const reps = s.reps;
  const list = [];
  const add = (id, task, timeoutMs = s.timeoutMs, memory = false, group = undefined) =>
    list.push({ id, task: { ...task, reps }, timeoutMs, memory, group });
  add('pair.put.116', { kind: 'pair.put', n: s.paired.n, valueBytes: 100, rounds: s.paired.rounds });
  add('pair.batch.1k', {
    kind: 'pair.batch',
    n: s.batched.large,
    valueBytes: 1024,
    batch: 64,
    rounds: s.pairedBatch.rounds,
  });
  for (const [variant, valueBytes] of [
    ['116', 100],
    ['1k', 1024],
  ]) {
    const n = variant === '116' ? s.durable.small : s.durable.large;
    const bulk = variant === '116' ? s.batched.small : s.batched.large;
    add(`raw.put.${variant}`, { kind: 'raw.put', n, valueBytes }, s.timeoutMs, false, `put.${variant}`);
    add(`lsm.put.${variant}`, { kind: 'lsm.put', n, valueBytes }, s.timeoutMs, false, `put.${variant}`);
    add(`sqlite.put.${variant}`, { kind: 'sqlite.put', n, valueBytes }, s.timeoutMs, false, `put.${variant}`);
    add(`idb.put.${variant}`, { kind: 'idb.put', n, valueBytes }, s.timeoutMs, false, `put.${variant}`);
    add(
      `raw.batched.${variant}`,
      { kind: 'raw.batched', n: bulk, valueBytes, batch: 64 },
      s.timeoutMs,
      false,
      `batched.${variant}`,
    );
    add(
      `lsm.group.${variant}`,
      { kind: 'lsm.groupPut', n: bulk, valueBytes, batch: 64 },
      s.timeoutMs,
      false,
      `batched.${variant}`,
    );
    add(
      `lsm.batch.${variant}`,
      { kind: 'lsm.batch', n: bulk, valueBytes, batch: 64 },
      s.timeoutMs,
      false,
      `batched.${variant}`,
    );
    add(
      `lsm.batchAll.${variant}`,
      { kind: 'lsm.batch', n: bulk, valueBytes, batch: bulk },
      s.timeoutMs,
      false,
      `batched.${variant}`,
    );
    add(
      `sqlite.bulk.${variant}`,
      { kind: 'sqlite.bulk', n: bulk, valueBytes },
      s.timeoutMs,
      false,
      `batched.${variant}`,
    );
    add(`idb.bulk.${variant}`, { kind: 'idb.bulk', n: bulk, valueBytes }, s.timeoutMs, false, `batched.${variant}`);
  }
  const r = s.read;
  const read = { kind: 'lsm.read', n: r.n, memtableBytes: READ_MEMTABLE, gets: r.gets };
  // The read targets' subjects, pair by pair: each pair loads its own copy of the data in fresh workers.
  const all = { bloomBitsPerKey: 10, negative: true, scan: true, breakdown: true };
  add('lsm.read', { ...read, ...all }, s.timeoutMs, true, 'read');
  // The get breakdown and the SSTable sizes by format once, with the first pair: no target reads them.
  list.at(-1).later = { breakdown: false };
  add('lsm.read.nobloom', { ...read, bloomBitsPerKey: 0, negative: true, scan: false, breakdown: false });
  add('sqlite.read', { kind: 'sqlite.read', n: r.n, gets: r.gets }, s.timeoutMs, false, 'read');
  add('idb.read', { kind: 'idb.read', n: r.n, gets: r.idbGets }, s.timeoutMs, false, 'read');
  add('raw.read', { kind: 'raw.read', n: r.n, gets: r.gets });
  add('lsm.recovery', { kind: 'lsm.recovery', ...s.recovery });
  add('lsm.compaction', { kind: 'lsm.compaction', ...s.compaction });
  for (const n of s.growth) {
    const growth = { kind: 'lsm.read', n, memtableBytes: GROWTH_MEMTABLE, bloomBitsPerKey: 10, gets: r.gets };
    add(
      `lsm.growth.${label(n)}`,
      { ...growth, negative: false, scan: false, breakdown: false },
      n >= 1_000_000 ? s.bigTimeoutMs : s.timeoutMs,
      true,
    );
  }
  // The largest size once more with a block cache that holds every block: what the structure costs, I/O aside.
  const largest = s.growth.at(-1);
  add(
    `lsm.growth.${label(largest)}.cached`,
    {
      kind: 'lsm.read',
      n: largest,
      memtableBytes: GROWTH_MEMTABLE,
      bloomBitsPerKey: 10,
      gets: r.gets,
      negative: false,
      scan: false,
      breakdown: false,
      cacheAll: GROWTH_CACHE_ALL,
    },
    largest >= 1_000_000 ? s.bigTimeoutMs : s.timeoutMs,
  );
  // SQLite with the same keys at the smallest and the largest growth size: its gets, and its own growth. At 1M keys
  // in one worker with the LSM tree, their gets in turns (pair.ts): the 1M target's pairs.
  if (SQLITE_GROWTH.every((size) => s.growth.includes(size))) {
    add('sqlite.growth.1k', { kind: 'sqlite.read', n: 1000, gets: r.gets, negative: false, scan: false });
    add(
      'pair.get.1M',
      {
        kind: 'pair.get',
        n: 1_000_000,
        memtableBytes: GROWTH_MEMTABLE,
        bloomBitsPerKey: 10,
        gets: r.gets,
        rounds: PAIR_GET_ROUNDS,
      },
      PAIR_GET_TIMEOUT_MS,
    );
  }
  // The write-batch comparisons run one repetition per fresh worker (a pair each): each worker first runs its
  // loop once untimed (Task.warmUp), so that every side is timed warmed, as the durable put's pairs are inside
  // their one worker, and not while V8 compiles it (the LSM's 1 KiB batches: 136-171 ms cold, 101-123 ms warm).
  for (const entry of list) if (entry.group?.startsWith('batched.')) entry.task.warmUp = true;
  // At least `pairs` repetitions for what the targets read (a group runs as many rounds as its most repeated
  // member; the others sit out the rounds past their own repetitions).
  const paired = targetTasks();
  for (const entry of list) if (paired.has(entry.id)) entry.task.reps = Math.max(entry.task.reps, s.pairs);
  return list;
}

/**
 * The order tasks run in: a task alone runs as it is (its repetitions inside one worker); the members of a group
 * run at the first member's place, one repetition per worker, round-robin (pair 0 of every member, then pair 1,
 * ...: A B A B ...), each member for as many rounds as its own repetitions. Each step: `of`, the task id its samples belong to; `pair`, the repetition's index (0 for a
 * task alone); `entry`, what to run. A member's samples are appended in pair order, so that sample i of two
 * members of a group is pair i of a target comparing them.
 */
export function schedule(entries) {
  const steps = [];
  const done = new Set();
  for (const entry of entries) {
    if (done.has(entry.id)) continue;
    if (!entry.group) {
      done.add(entry.id);
      steps.push({ of: entry.id, pair: 0, entry });
      continue;
    }
    const members = entries.filter((other) => other.group === entry.group);
    for (const member of members) done.add(member.id);
    const rounds = Math.max(...members.map((member) => member.task.reps));
    for (let pair = 0; pair < rounds; pair++) {
      for (const member of members) {
        if (pair >= member.task.reps) continue; // no target reads it: its own repetitions are enough
        // `later`: what a member leaves out after its first pair (work no target reads, e.g. the get breakdown).
        const task = { ...member.task, reps: 1, ...(pair > 0 ? member.later : {}) };
        steps.push({ of: member.id, pair, entry: { ...member, id: `${member.id} (rep ${pair + 1})`, task } });
      }
    }
  }
  return steps;
}

/** The sizes SQLite is loaded with for workload 5: the growth's ends. */
const SQLITE_GROWTH = [1000, 1_000_000];
/** Turns per side in each pair of the 1M-key gets (pair.ts): 1,000 gets a turn at 20,000 gets a pair. */
const PAIR_GET_ROUNDS = 20;
/** Both 1M-key loads (~65 s and ~45 s on this 2-core VM, up to twice that on a slow stretch), then the gets. */
const PAIR_GET_TIMEOUT_MS = 600_000;

/**
 * The report: per workload, variants of rows; each row is one measure of one task. The anchor row's figure is
 * the denominator of every ratio in its variant. `basis` says whether ratios compare ops/s or MB/s.
 */
export function workloads(mode) {
  const s = sizes(mode);
  const sqliteSkipped = SQLITE_GROWTH.every((size) => s.growth.includes(size))
    ? undefined
    : (s.growthSkipped[1_000_000] ?? 'no 1M keys in this run');
  const w1 = (variant, title) => ({
    title,
    basis: 'ops',
    rows: [
      { label: 'raw OPFS append + flush (anchor)', task: `raw.put.${variant}`, measure: 'put', anchor: true },
      { label: 'LSM put (WAL flush per op, default)', task: `lsm.put.${variant}`, measure: 'put', key: 'lsm' },
      { label: 'SQLite autocommit, synchronous=FULL', task: `sqlite.put.${variant}`, measure: 'put', key: 'sqlite' },
      { label: "IndexedDB put, durability 'strict'", task: `idb.put.${variant}`, measure: 'put' },
    ],
  });
  const w2 = (variant, title) => ({
    title,
    basis: 'ops',
    rows: [
      {
        label: 'raw OPFS 64 rec/write, flush per 64 (anchor)',
        task: `raw.batched.${variant}`,
        measure: 'batched',
        anchor: true,
      },
      {
        label: 'LSM durable puts in a loop (no batch API)',
        task: `lsm.put.${variant}`,
        measure: 'put',
        key: 'lsmLoop',
      },
      { label: "LSM group commit {durability:'group'}", task: `lsm.group.${variant}`, measure: 'put', key: 'lsmGroup' },
      {
        label: 'LSM WriteBatch of 64 per db.write (as the anchor)',
        task: `lsm.batch.${variant}`,
        measure: 'put',
        key: 'lsmBatch',
      },
      {
        label: 'LSM one WriteBatch for all (as SQLite)',
        task: `lsm.batchAll.${variant}`,
        measure: 'put',
        key: 'lsmBatchAll',
      },
      { label: 'SQLite one-transaction bulk insert', task: `sqlite.bulk.${variant}`, measure: 'bulk', key: 'sqlite' },
      { label: 'IndexedDB one-transaction bulk put', task: `idb.bulk.${variant}`, measure: 'bulk' },
    ],
  });
  const r = s.read;
  return [
    {
      id: 'w1',
      name: 'Durable put',
      variants: [
        w1('116', `116 B records (16 B key + 100 B value), n=${s.durable.small}`),
        w1('1k', `1,040 B records (16 B key + 1 KiB value), n=${s.durable.large}`),
        {
          title: `116 B records, n=${s.paired.n}, raw and LSM in one worker, alternating rounds of ${Math.ceil(s.paired.n / s.paired.rounds)} (the target's figures)`,
          basis: 'ops',
          rows: [
            { label: 'raw OPFS append + flush (anchor)', task: 'pair.put.116', measure: 'raw-put', anchor: true },
            { label: 'LSM put (WAL flush per op, default)', task: 'pair.put.116', measure: 'lsm-put', key: 'lsm' },
          ],
        },
      ],
    },
    {
      id: 'w2',
      name: 'Batched puts',
      variants: [
        w2('116', `116 B records, n=${s.batched.small} (LSM loop: n=${s.durable.small}, from w1)`),
        w2('1k', `1,040 B records, n=${s.batched.large} (LSM loop: n=${s.durable.large}, from w1)`),
        {
          title: `1,040 B records, n=${s.batched.large}, raw and LSM WriteBatch of 64 in one worker, alternating rounds of ${64 * Math.ceil(Math.ceil(s.batched.large / 64) / s.pairedBatch.rounds)} (the 1 KiB target's figures)`,
          basis: 'ops',
          rows: [
            {
              label: 'raw OPFS 64 rec/write, flush per 64 (anchor)',
              task: 'pair.batch.1k',
              measure: 'raw-batched',
              anchor: true,
            },
            { label: 'LSM WriteBatch of 64 per db.write', task: 'pair.batch.1k', measure: 'lsm-batch', key: 'lsm' },
            {
              label: 'LSM, until its background flush is committed',
              task: 'pair.batch.1k',
              measure: 'lsm-batch-committed',
            },
          ],
        },
      ],
    },
    {
      id: 'w3',
      name: 'Point get, warm',
      variants: [
        {
          title: `${r.n.toLocaleString('en')} keys; LSM over L0-L3 (memtable 256 KiB, leveled); ${r.gets.toLocaleString('en')} random gets (IndexedDB ${r.idbGets.toLocaleString('en')})`,
          basis: 'ops',
          rows: [
            { label: 'SQLite select by primary key (anchor)', task: 'sqlite.read', measure: 'get', anchor: true },
            { label: 'LSM get (bloom 10 bits/key)', task: 'lsm.read', measure: 'get', key: 'lsm' },
            { label: 'LSM get (bloom off)', task: 'lsm.read.nobloom', measure: 'get' },
            { label: 'IndexedDB get, one tx each', task: 'idb.read', measure: 'get', key: 'idb' },
            { label: 'raw OPFS random 116 B read', task: 'raw.read', measure: 'random-read', key: 'raw' },
          ],
        },
        {
          title: "where an LSM get's time goes (engine steps timed alone; µs per op = 1e6 / ops/s)",
          basis: 'ops',
          steps: true,
          rows: [
            { label: 'whole get, as measured above (anchor)', task: 'lsm.read', measure: 'get', anchor: true },
            { label: 'get answered by the memtable (queue + API)', task: 'lsm.read', measure: 'step:memtable-get' },
            { label: 'OPFS read of one 4 KiB block (new buffer)', task: 'lsm.read', measure: 'step:block-read' },
            { label: '  the same read into a reused buffer', task: 'lsm.read', measure: 'step:block-read-reused' },
            { label: '  1 KiB of it into a reused buffer', task: 'lsm.read', measure: 'step:block-read-1k' },
            { label: '  allocating a 4 KiB buffer alone', task: 'lsm.read', measure: 'step:alloc-4k' },
            { label: 'CRC32C check of the block', task: 'lsm.read', measure: 'step:crc-check' },
            { label: 'index the block (entry offsets)', task: 'lsm.read', measure: 'step:parse-block' },
            { label: 'bloom probe', task: 'lsm.read', measure: 'step:bloom-probe' },
            { label: 'key to hex (per get)', task: 'lsm.read', measure: 'step:key-hex' },
          ],
        },
      ],
    },
    {
      id: 'w4',
      name: 'Negative get (absent keys between present ones)',
      variants: [
        {
          title: `${r.n.toLocaleString('en')} keys, ${r.gets.toLocaleString('en')} absent-key gets`,
          basis: 'ops',
          rows: [
            { label: 'SQLite absent-key select (anchor)', task: 'sqlite.read', measure: 'negative', anchor: true },
            { label: 'LSM get, bloom 10 bits/key', task: 'lsm.read', measure: 'negative', key: 'bloomOn' },
            { label: 'LSM get, bloom off', task: 'lsm.read.nobloom', measure: 'negative', key: 'bloomOff' },
          ],
        },
      ],
    },
    {
      id: 'w5',
      name: 'Get cost as data grows',
      variants: [
        {
          title: `memtable 4 MiB, leveled, bloom 10; flushed and compacted; ${r.gets.toLocaleString('en')} random present-key gets`,
          basis: 'ops',
          rows: [
            ...[1000, 10_000, 100_000, 1_000_000].map((n, i) => ({
              label: `LSM get, ${label(n)} keys${i === 0 ? ' (anchor)' : ''}`,
              task: `lsm.growth.${label(n)}`,
              measure: 'get',
              anchor: i === 0,
              key: label(n),
              skipped: s.growthSkipped[n],
            })),
            {
              label: `LSM get, ${label(s.growth.at(-1))} keys, every block cached (${GROWTH_CACHE_ALL / MiB} MiB)`,
              task: `lsm.growth.${label(s.growth.at(-1))}.cached`,
              measure: 'get',
              key: 'cached',
            },
          ],
        },
        {
          title: `SQLite loaded with the same keys (one transaction, checkpointed); ${r.gets.toLocaleString('en')} random present-key selects`,
          basis: 'ops',
          rows: [
            ...SQLITE_GROWTH.map((n, i) => ({
              label: `SQLite select, ${label(n)} keys${i === 0 ? ' (anchor)' : ', in turns with the LSM get below'}`,
              task: n === 1_000_000 ? 'pair.get.1M' : `sqlite.growth.${label(n)}`,
              measure: n === 1_000_000 ? 'sqlite-get' : 'get',
              anchor: i === 0,
              key: label(n),
              skipped: sqliteSkipped,
            })),
            {
              label: "LSM get, 1M keys, in turns with SQLite's select (the 1M target's pairs, one worker)",
              task: 'pair.get.1M',
              measure: 'lsm-get',
              key: 'paired',
              skipped: sqliteSkipped,
            },
          ],
        },
      ],
    },
    {
      id: 'w6',
      name: 'Range scan',
      variants: [
        {
          title: `full scan of ${r.n.toLocaleString('en')} pairs in key order (MB/s of keys + values)`,
          basis: 'mb',
          rows: [
            {
              label: 'raw OPFS sequential read, 64 KiB chunks (anchor)',
              task: 'raw.read',
              measure: 'sequential-read',
              anchor: true,
            },
            { label: 'LSM scan (L0-L3 merged)', task: 'lsm.read', measure: 'scan', key: 'lsm' },
            { label: 'SQLite SELECT k, v ORDER BY k', task: 'sqlite.read', measure: 'scan', key: 'sqlite' },
          ],
        },
      ],
    },
    {
      id: 'w7',
      name: 'WAL recovery',
      variants: [
        {
          title: `${s.recovery.n.toLocaleString('en')} records in the WAL, none flushed; LsmTree.open replays them, ${s.recovery.turns} times per pair in turns with the checked read (MB/s of WAL bytes)`,
          basis: 'mb',
          rows: [
            {
              label: 'read whole WAL + CRC32C of every record (anchor)',
              task: 'lsm.recovery',
              measure: 'checked-read',
              anchor: true,
            },
            {
              label: 'raw OPFS sequential read of the WAL (memcpy)',
              task: 'lsm.recovery',
              measure: 'raw-read',
              key: 'raw',
            },
            { label: 'LSM open: WAL replay', task: 'lsm.recovery', measure: 'replay', key: 'lsm' },
          ],
        },
      ],
    },
    {
      id: 'w8',
      name: 'Compaction',
      variants: [
        {
          title: `${s.compaction.n.toLocaleString('en')} keys loaded once with compaction off (memtable ${s.compaction.memtableBytes / KiB} KiB), then db.compact() on a copy, ${s.compaction.turns} times per pair in turns with the raw copy (MB/s)`,
          basis: 'mb',
          rows: [
            {
              label: 'raw OPFS copy of the same bytes (anchor)',
              task: 'lsm.compaction',
              measure: 'raw-copy',
              anchor: true,
            },
            { label: 'LSM compaction, bytes written', task: 'lsm.compaction', measure: 'compaction-write', key: 'lsm' },
            { label: 'LSM compaction, bytes read', task: 'lsm.compaction', measure: 'compaction-read' },
          ],
        },
      ],
    },
  ];
}
