// What a student's tab does with what comes off the relay: entries checked field by field (anything else is never
// run), the catch-up plan a late joiner replays, and the answers counted one per student.
import { describe, expect, it } from 'vitest';
import {
  answerKey,
  type Entry,
  planCatchUp,
  questionOf,
  readEntry,
  readOp,
  readStudent,
  tally,
} from '../../../web/class/protocol';
import {
  base32,
  classFromAddress,
  codeOf,
  joinLink,
  readCode,
  readRelay,
  roomIdOf,
  showCode,
} from '../../../web/class/room';

const op = (o: unknown): Entry => ({ k: 'op', op: o as never });
const reset: Entry = { k: 'reset', settings: { memtableBytes: 256 } };

describe('class entries off the network', () => {
  it('keeps every kind of well-formed entry as it is', () => {
    const entries: Entry[] = [
      reset,
      op({ op: 'put', key: 'user:1', value: 'Ada' }),
      op({ op: 'put', key: '00ff', value: 'ab', format: 'hex' }),
      op({ op: 'get', key: 'user:1', at: 'snapshot' }),
      op({ op: 'scan', start: 'a', end: 'z', at: 12 }),
      op({
        op: 'batch',
        writes: [
          { key: 'a', value: '1' },
          { key: 'b', value: null },
        ],
      }),
      op({ op: 'crash', kind: 'power', seed: 7 }),
      op({ op: 'arm', point: 'flush.after-sstable', kind: 'process' }),
      op({ op: 'release', seq: 'oldest' }),
      op({ op: 'corrupt', file: '000004.sst', offset: 12 }),
      op({ op: 'settings', changes: { durability: 'relaxed' } }),
      op({ op: 'workload', spec: { kind: 'fill', count: 100, seed: 1 } }),
      op({ op: 'flush' }),
      { k: 'lesson', id: 'write-path' },
      { k: 'step', step: 2 },
      { k: 'run', step: 2 },
      { k: 'leave' },
      { k: 'end' },
    ];
    for (const entry of entries) expect(readEntry(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
  });

  it('refuses anything that is not exactly an entry, without throwing', () => {
    const bad: unknown[] = [
      null,
      42,
      'put',
      [],
      { k: 'op' },
      { k: 'op', op: { op: 'drop-table' } },
      { k: 'op', op: { op: 'put', key: 1, value: 'x' } },
      { k: 'op', op: { op: 'put', key: 'k', value: 'x'.repeat(70_000) } },
      { k: 'op', op: { op: 'put', key: 'k', value: 'v', format: 'base64' } },
      { k: 'op', op: { op: 'get', key: 'k', at: -1 } },
      { k: 'op', op: { op: 'batch', writes: [{ key: 'a', value: 3 }] } },
      { k: 'op', op: { op: 'crash', kind: 'meteor' } },
      { k: 'op', op: { op: 'corrupt', file: 'x', offset: 1.5 } },
      { k: 'op', op: { op: 'settings', changes: { pad: 'x'.repeat(5000) } } },
      { k: 'op', op: { op: 'release', seq: '3' } },
      { k: 'reset' },
      { k: 'reset', settings: [] },
      { k: 'lesson', id: 7 },
      { k: 'step', step: -1 },
      { k: 'run', step: 1.5 },
      { k: 'step', step: 1000 },
      { k: '__proto__' },
    ];
    for (const raw of bad) expect(readEntry(raw), JSON.stringify(raw)?.slice(0, 80)).toBeNull();
    expect(readOp({ op: 'put', key: 'k', value: 'v' })).not.toBeNull();
    // A circular object cannot be measured: refused, not thrown on.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(readEntry({ k: 'op', op: { op: 'settings', changes: circular } })).toBeNull();
  });
});

describe('a late joiner catches up', () => {
  it('replays the class database from its last reset, skipping lessons that were left', () => {
    const log: unknown[] = [
      reset, // 0
      op({ op: 'put', key: 'a', value: '1' }), // 1
      reset, // 2: everything before is gone
      op({ op: 'put', key: 'b', value: '2' }), // 3
      { k: 'lesson', id: 'write-path' }, // 4
      { k: 'step', step: 1 }, // 5
      { k: 'run', step: 1 }, // 6
      { k: 'leave' }, // 7: the lesson's database changed nothing that lasts
      op({ op: 'flush' }), // 8
      { k: 'nonsense' }, // 9: not an entry
    ];
    const plan = planCatchUp(log);
    expect(plan.entries.map((e) => e.at)).toEqual([2, 3, 8]);
    expect(plan.lessonAt).toBe(-1);
    expect(plan.ignored).toEqual([9]);
    expect(plan.ended).toBe(false);
  });

  it('opens the lesson still open and replays it from its opening (a reset in it drops what came before)', () => {
    const log: unknown[] = [
      reset, // 0
      op({ op: 'put', key: 'a', value: '1' }), // 1
      { k: 'lesson', id: 'flush' }, // 2
      { k: 'lesson', id: 'write-path' }, // 3: opened again elsewhere: the first opening is moot
      { k: 'step', step: 1 }, // 4
      op({ op: 'put', key: 'x', value: '1' }), // 5
      reset, // 6: the lesson's database emptied
      { k: 'run', step: 1 }, // 7
      { k: 'end' }, // 8
    ];
    const plan = planCatchUp(log);
    expect(plan.entries.map((e) => e.at)).toEqual([0, 1, 3, 6, 7]);
    expect(plan.lessonAt).toBe(3);
    expect(plan.ended).toBe(true);
  });
});

describe('the class answers', () => {
  const q = questionOf(4, 1);
  const student = (answer?: string[], following = true) => ({
    role: 'student',
    following,
    ...(answer ? { answer: { q, c: answer } } : {}),
  });

  it('counts one answer per student, bars in the choices’ order, zeros included', () => {
    const states = [
      { role: 'teacher' },
      student(['wal']),
      student(['memtable']),
      student(['wal']),
      student(), // not answered yet
      student(['wal'], false), // exploring: answered before leaving, still counted once
      { role: 'student', following: true, answer: { q: 'other', c: ['sstable'] } }, // another question
    ];
    const result = tally(states, q, ['wal', 'memtable', 'sstable']);
    expect(result).toEqual({
      students: 6,
      following: 5,
      answered: 4,
      counts: [
        { answer: 'wal', count: 3 },
        { answer: 'memtable', count: 1 },
        { answer: 'sstable', count: 0 },
      ],
    });
  });

  it('counts answers on the picture as sets, whatever the order they were pointed in', () => {
    const states = [student(['L1', 'L0']), student(['L0', 'L1']), student([]), student(['L2'])];
    const result = tally(states, q);
    expect(result.counts).toEqual([
      { answer: 'L0 L1', count: 2 },
      { answer: '', count: 1 },
      { answer: 'L2', count: 1 },
    ]);
    expect(answerKey(['b', 'a'])).toBe('a b');
  });

  it('ignores states that are not a student’s, and answers that are not answers', () => {
    const junk = [
      null,
      'student',
      { role: 'student' },
      { role: 'student', following: 'yes' },
      { role: 'admin', following: true, answer: { q, c: ['wal'] } },
    ];
    expect(tally(junk, q).students).toBe(0);
    // A malformed answer leaves the student counted, but not as having answered.
    expect(readStudent({ role: 'student', following: true, answer: { q, c: ['<script>'] } })).toEqual({
      role: 'student',
      following: true,
    });
    expect(readStudent({ role: 'student', following: true, answer: { q, c: Array(40).fill('L0') } })?.answer).toBe(
      undefined,
    );
    // The same thing pointed at twice is one.
    expect(readStudent({ role: 'student', following: true, answer: { q, c: ['L0', 'L0'] } })?.answer?.c).toEqual([
      'L0',
    ]);
  });
});

describe('a class’s names', () => {
  it('derives the room and the code from the teacher’s key, as the relay does', async () => {
    expect(base32(new TextEncoder().encode('foobar'))).toBe('mzxw6ytboi');
    const room = await roomIdOf('teacher-key');
    const code = await codeOf('teacher-key');
    expect(room).toMatch(/^[a-z2-7]{26}$/);
    expect(code).toMatch(/^[a-z2-7]{8}$/);
    expect(await roomIdOf('teacher-key')).toBe(room);
    expect(await roomIdOf('another-key')).not.toBe(room);
    expect(readCode(showCode(code))).toBe(code);
    expect(readCode('ABCD-2345')).toBe('abcd2345');
    expect(readCode('ABCD 1890')).toBeUndefined();
    // The relay derives the same names: it knows the teacher by them.
    const relay = await import('../../../scripts/class-relay.mjs');
    expect(await relay.roomIdOf('teacher-key')).toBe(room);
    expect(await relay.codeOf('teacher-key')).toBe(code);
  });

  it('reads a join link back, and only ws: or wss: relays', () => {
    const room = 'a'.repeat(26);
    const link = joinLink('https://lab.example/lsm/?lesson=flush#x', 'wss://relay.example', room);
    expect(link).toBe(`https://lab.example/lsm/?class=${room}&relay=wss%3A%2F%2Frelay.example`);
    expect(classFromAddress(new URL(link).search)).toEqual({ room, relay: 'wss://relay.example' });
    expect(classFromAddress('?class=short&relay=ws://x')).toBeUndefined();
    expect(readRelay('http://relay.example')).toBeUndefined();
    expect(readRelay('javascript:alert(1)')).toBeUndefined();
    expect(readRelay(' ws://127.0.0.1:1234/ ')).toBe('ws://127.0.0.1:1234');
  });
});
