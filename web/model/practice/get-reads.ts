// "Which files does this Get read?": a few SSTables with overlapping key ranges (and sometimes a deeper level), a
// random key, random bloom filters and block sizes. The student points at the file cards; the engine's read.block
// events say which tables a data block was really read from.
import { t } from '../../i18n';
import { list, setup, text } from '../lessons/lesson';
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
        ? t('lessons:practice.getReads.memtableAbsent')
        : memtable.found === 'value'
          ? t('lessons:practice.getReads.memtableValue')
          : t('lessons:practice.getReads.memtableTombstone'),
    );
  for (const e of events) {
    if (e.type !== 'read.sstable') continue;
    const where = { file: e.file, level: e.level, block: e.block };
    if (e.found === 'out-of-range') parts.push(t('lessons:practice.getReads.outOfRange', where));
    else if (e.found === 'bloom-negative') parts.push(t('lessons:practice.getReads.bloomNo', where));
    else if (e.found === 'absent')
      parts.push(
        e.bloom ? t('lessons:practice.getReads.falsePositive', where) : t('lessons:practice.getReads.noFilter', where),
      );
    else
      parts.push(
        e.found === 'value'
          ? t('lessons:practice.getReads.value', where)
          : t('lessons:practice.getReads.tombstone', where),
      );
  }
  const end = events.find((e) => e.type === 'read.end');
  if (end?.type === 'read.end') {
    const read = filesRead(events);
    const facts = {
      key: text(end.key),
      value: text(end.value),
      blocks: t('lessons:n.dataBlock', { count: end.blocksRead }),
      files: list(read),
    };
    parts.push(
      end.found
        ? read.length > 0
          ? t('lessons:practice.getReads.foundFrom', facts)
          : t('lessons:practice.getReads.found', facts)
        : read.length > 0
          ? t('lessons:practice.getReads.notFoundFrom', facts)
          : t('lessons:practice.getReads.notFound', facts),
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
  for (let n = 0; n < tables; n++) {
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
    get prompt() {
      return bloomBitsPerKey === 0
        ? t('lessons:practice.getReads.promptNoFilter', { key })
        : t('lessons:practice.getReads.prompt', { key, bits: bloomBitsPerKey });
    },
    setup: setup(ops, settings),
    answerBy: { by: 'pick', target: 'table', single: false },
    get button() {
      return t('lessons:practice.getReads.button', { key });
    },
    actions: [{ op: 'get', key }],
    answer: filesRead,
    explanation: explainGet,
  };
}
