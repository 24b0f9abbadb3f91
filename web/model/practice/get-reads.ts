// "Which files does this Get read?": a few SSTables with overlapping key ranges (and sometimes a deeper level), a
// random key, random bloom filters and block sizes. The student points at the file cards; the engine's read.block
// events say which tables a data block was really read from.
import { list, plural, setup, text } from '../lessons/lesson';
import type { ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';
import { between, drawKeys, drawValue, oneOf, type Random, some } from './draw';
import type { PracticeQuestion } from './question';

/** The files a data block was read from, in the order the Get read them. */
export function filesRead(events: readonly TimelineEvent[]): string[] {
  const files: string[] = [];
  for (const e of events) if (e.type === 'read.block' && !files.includes(e.file)) files.push(e.file);
  return files;
}

/** Each table the Get considered and what it found there, then its result. */
export function explainGet(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  const memtable = events.find((e) => e.type === 'read.memtable');
  if (memtable?.type === 'read.memtable')
    parts.push(
      memtable.found === 'absent'
        ? 'The memtable did not hold the key.'
        : `The memtable held ${memtable.found === 'value' ? 'a value' : 'a tombstone'} for it, so no file was needed.`,
    );
  for (const e of events) {
    if (e.type !== 'read.sstable') continue;
    const where = `${e.file} (L${e.level})`;
    if (e.found === 'out-of-range') parts.push(`${where}: its key range does not hold the key, nothing read.`);
    else if (e.found === 'bloom-negative') parts.push(`${where}: its bloom filter said no, nothing read.`);
    else {
      const block = `block ${e.block} read`;
      if (e.found === 'absent')
        parts.push(
          e.bloom
            ? `${where}: the bloom filter said maybe, ${block}, the key is not in it (a false positive).`
            : `${where}: no bloom filter, ${block}, the key is not in it.`,
        );
      else parts.push(`${where}: ${block}, ${e.found === 'value' ? 'the value found' : 'a tombstone found'}.`);
    }
  }
  const end = events.find((e) => e.type === 'read.end');
  if (end?.type === 'read.end') {
    const read = filesRead(events);
    parts.push(
      `${end.found ? `Found ${text(end.key)} = ${text(end.value)}` : `Not found`}, with ${plural(end.blocksRead, 'data block')} read${read.length > 0 ? ` (from ${list(read)})` : ''}.`,
    );
  }
  return parts.join(' ');
}

export function getReads(random: Random): PracticeQuestion {
  const keys = drawKeys(random, 8);
  const ops: ScenarioOp[] = [];
  // Sometimes older data sits a level down, compacted there, under the newer L0 tables.
  if (random() < 0.5) {
    for (const key of some(random, keys, between(random, 3, 5))) ops.push({ op: 'put', key, value: drawValue(random) });
    ops.push({ op: 'flush' }, { op: 'compact' });
  }
  const tables = between(random, 2, 3);
  for (let t = 0; t < tables; t++) {
    for (const key of some(random, keys, between(random, 2, 4)))
      ops.push(random() < 0.2 ? { op: 'delete', key } : { op: 'put', key, value: drawValue(random) });
    ops.push({ op: 'flush' });
  }
  const key = oneOf(random, keys);
  const bloomBitsPerKey = oneOf(random, [0, 2, 10]);
  const settings = {
    memtableBytes: 4096,
    blockSize: oneOf(random, [64, 128, 256]),
    bloomBitsPerKey,
    compression: oneOf(random, ['none', 'deflate']),
    // No compaction of its own: the L0 tables the setup flushed stay there for the Get to go through.
    l0Trigger: 8,
  };
  return {
    kind: 'get-reads',
    prompt: `Get ${key} runs next (${bloomBitsPerKey === 0 ? 'no bloom filters' : `bloom filters of ${bloomBitsPerKey} bits per key`}). Point at every SSTable it will read a data block from; point at none if you think it reads none.`,
    setup: setup(ops, settings),
    answerBy: { by: 'pick', target: 'table', single: false },
    button: `Run Get ${key}`,
    actions: [{ op: 'get', key }],
    answer: filesRead,
    explanation: explainGet,
  };
}
