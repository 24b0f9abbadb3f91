// "Where does a flush land?": a random number of flushes already behind (so L0 holds anywhere from none to one
// short of its compaction trigger, and deeper levels some data), a random trigger and level size, then a flush.
// The student points at the level where the flushed data will be once the engine has finished; the events follow
// the flushed table through every compaction that takes it.
import { t } from '../../i18n';
import { list, setup, text } from '../lessons/lesson';
import type { ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';
import { between, drawKeys, drawValue, oneOf, type Random, some } from './draw';
import type { PracticeQuestion } from './question';

/**
 * Where the flush's table went: the level and files that hold its entries after the flush and every compaction
 * that followed it (a compaction takes them on to its outputs, or only to those its links name).
 */
export function flushedTo(events: readonly TimelineEvent[]): { level: number; files: string[]; path: string[] } {
  const begin = events.findIndex((e) => e.type === 'flush.begin');
  const written = events.slice(begin).find((e) => e.type === 'sstable.write');
  if (begin < 0 || written?.type !== 'sstable.write') return { level: -1, files: [], path: [] };
  let level = written.table.level;
  let files = [written.table.file];
  const path = [
    t('lessons:practice.flushLevel.wrote', {
      file: written.table.file,
      smallest: text(written.table.smallest),
      largest: text(written.table.largest),
      level,
    }),
  ];
  for (const e of events.slice(events.indexOf(written))) {
    if (e.type !== 'compaction.end' || !e.inputs.some((f) => files.includes(f))) continue;
    const outputs = e.links
      ? e.links.filter((l) => l.inputs.some((f) => files.includes(f))).map((l) => l.output)
      : e.outputs;
    const moved = e.outputs.length === 1 && e.inputs.length === 1 && e.outputs[0] === e.inputs[0];
    path.push(
      moved
        ? t('lessons:practice.flushLevel.moved', { file: e.inputs[0], level: e.outputLevel })
        : t('lessons:practice.flushLevel.merged', {
            inputs: list(e.inputs),
            outputs: list(outputs),
            level: e.outputLevel,
          }),
    );
    files = outputs;
    level = e.outputLevel;
  }
  return { level, files, path };
}

export function flushLevel(random: Random): PracticeQuestion {
  const trigger = between(random, 2, 4);
  const keys = drawKeys(random, 10);
  const ops: ScenarioOp[] = [];
  const earlier = between(random, 0, 2 * trigger - 1);
  for (let f = 0; f < earlier; f++) {
    for (const key of some(random, keys, between(random, 2, 4))) ops.push({ op: 'put', key, value: drawValue(random) });
    ops.push({ op: 'flush' });
  }
  const writes = between(random, 2, 4);
  for (const key of some(random, keys, writes)) ops.push({ op: 'put', key, value: drawValue(random) });
  const settings = {
    memtableBytes: 4096,
    compaction: 'leveled',
    l0Trigger: trigger,
    // Small level targets: a compaction into L1 can overfill it and push on into L2.
    levelBaseBytes: oneOf(random, [512, 1024, 4096]),
  };
  return {
    kind: 'flush-level',
    get prompt() {
      return t('lessons:practice.flushLevel.prompt', { trigger, count: writes });
    },
    setup: setup(ops, settings),
    answerBy: { by: 'pick', target: 'level', single: true },
    get button() {
      return t('lessons:practice.flushLevel.button');
    },
    actions: [{ op: 'flush' }],
    answer: (events) => {
      const { level } = flushedTo(events);
      return level < 0 ? [] : [`L${level}`];
    },
    explanation: (events) => {
      const { level, files, path } = flushedTo(events);
      if (level < 0) return t('lessons:practice.flushLevel.none');
      const steps = path.join(t('lessons:practice.flushLevel.then'));
      return t('lessons:practice.flushLevel.explanation', {
        steps: `${steps.charAt(0).toUpperCase()}${steps.slice(1)}`,
        level,
        files: list(files),
      });
    },
  };
}
