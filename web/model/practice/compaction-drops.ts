// "What does a compaction drop?": a few flushed tables where random keys were written, overwritten and deleted
// (and sometimes a snapshot taken between them), then a compaction of the whole key range. The student ticks the
// keys that will lose a stored version; compaction.end's list of dropped versions says which did.
import { t } from '../../i18n';
import { list, setup, text } from '../lessons/lesson';
import type { ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';
import { between, drawKeys, drawValue, type Random, some } from './draw';
import type { PracticeQuestion } from './question';

/** The keys (as text) that lost a version in the compactions, in key order. */
export function keysDropped(events: readonly TimelineEvent[], keys: readonly string[]): string[] {
  const dropped = new Set<string>();
  for (const e of events) if (e.type === 'compaction.end') for (const d of e.dropped ?? []) dropped.add(text(d.key));
  return keys.filter((k) => dropped.has(k));
}

export function explainDrops(events: readonly TimelineEvent[]): string {
  const parts: string[] = [];
  for (const e of events) {
    if (e.type !== 'compaction.end') continue;
    const versions = (e.dropped ?? []).map((d) =>
      d.why === 'tombstone'
        ? t('lessons:practice.drops.tombstone', { key: text(d.key), seq: d.seq })
        : d.op === 'delete'
          ? t('lessons:practice.drops.olderTombstone', { key: text(d.key), seq: d.seq })
          : t('lessons:practice.drops.olderValue', { key: text(d.key), seq: d.seq }),
    );
    parts.push(
      t('lessons:practice.drops.compaction', {
        inputs: list(e.inputs),
        level: e.outputLevel,
        entries: t('lessons:n.entry', { count: e.entriesRead }),
        written: e.entriesWritten,
        dropped:
          versions.length > 0
            ? t('lessons:practice.drops.dropped', { versions: list(versions) })
            : t('lessons:practice.drops.droppedNothing'),
        kept:
          e.keptForSnapshots > 0
            ? t('lessons:practice.drops.kept', {
                versions: t('lessons:n.olderVersion', { count: e.keptForSnapshots }),
              })
            : '',
      }),
    );
  }
  return parts.length > 0 ? parts.join(' ') : t('lessons:practice.drops.none');
}

export function compactionDrops(random: Random): PracticeQuestion {
  const keys = drawKeys(random, between(random, 4, 6));
  const ops: ScenarioOp[] = [];
  const tables = between(random, 2, 3);
  const snapshotAfter = random() < 0.3 ? between(random, 0, tables - 2) : -1;
  for (let n = 0; n < tables; n++) {
    const written = some(random, keys, between(random, 2, 3));
    for (const key of written)
      ops.push(random() < 0.25 && n > 0 ? { op: 'delete', key } : { op: 'put', key, value: drawValue(random) });
    // An overwrite before the flush: the memtable's two versions of one key.
    if (random() < 0.3) ops.push({ op: 'put', key: written[0]!, value: drawValue(random) });
    ops.push({ op: 'flush' });
    if (n === snapshotAfter) ops.push({ op: 'snapshot' });
  }
  const held = snapshotAfter >= 0;
  return {
    kind: 'compaction-drops',
    get prompt() {
      return !held
        ? t('lessons:practice.drops.prompt')
        : snapshotAfter === 0
          ? t('lessons:practice.drops.promptFirst')
          : t('lessons:practice.drops.promptSecond');
    },
    setup: setup(ops, { memtableBytes: 4096, l0Trigger: 8, compaction: 'leveled' }),
    answerBy: { by: 'choices', choices: keys.map((k) => ({ id: k, label: k })) },
    get button() {
      return t('lessons:practice.drops.button');
    },
    actions: [{ op: 'compact' }],
    answer: (events) => keysDropped(events, keys),
    explanation: explainDrops,
  };
}
