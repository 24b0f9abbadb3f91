// "What does a compaction drop?": a few flushed tables where random keys were written, overwritten and deleted
// (and sometimes a snapshot taken between them), then a compaction of the whole key range. The student ticks the
// keys that will lose a stored version; compaction.end's list of dropped versions says which did.
import { list, plural, setup, text } from '../lessons/lesson';
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
    const versions = (e.dropped ?? []).map(
      (d) =>
        `${text(d.key)}'s ${d.why === 'tombstone' ? 'tombstone' : d.op === 'delete' ? 'older tombstone' : 'older value'} (seq ${d.seq})`,
    );
    parts.push(
      `The compaction of ${list(e.inputs)} into L${e.outputLevel} read ${plural(e.entriesRead, 'entry', 'entries')} and wrote ${e.entriesWritten}: ${versions.length > 0 ? `it dropped ${list(versions)}` : 'it dropped nothing'}${e.keptForSnapshots > 0 ? `, and kept ${plural(e.keptForSnapshots, 'older version')} a live snapshot can still see` : ''}.`,
    );
  }
  return parts.length > 0 ? parts.join(' ') : 'No compaction ran this time.';
}

export function compactionDrops(random: Random): PracticeQuestion {
  const keys = drawKeys(random, between(random, 4, 6));
  const ops: ScenarioOp[] = [];
  const tables = between(random, 2, 3);
  const snapshotAfter = random() < 0.3 ? between(random, 0, tables - 2) : -1;
  for (let t = 0; t < tables; t++) {
    const written = some(random, keys, between(random, 2, 3));
    for (const key of written)
      ops.push(random() < 0.25 && t > 0 ? { op: 'delete', key } : { op: 'put', key, value: drawValue(random) });
    // An overwrite before the flush: the memtable's two versions of one key.
    if (random() < 0.3) ops.push({ op: 'put', key: written[0]!, value: drawValue(random) });
    ops.push({ op: 'flush' });
    if (t === snapshotAfter) ops.push({ op: 'snapshot' });
  }
  const held = snapshotAfter >= 0;
  return {
    kind: 'compaction-drops',
    prompt: `A compaction of the whole key range (compactRange) runs next${held ? `, while a snapshot taken after the ${snapshotAfter === 0 ? 'first' : 'second'} flush is still held` : ''}. Which keys will lose a stored version: an overwritten value or a tombstone dropped? Tick them.`,
    setup: setup(ops, { memtableBytes: 4096, l0Trigger: 8, compaction: 'leveled' }),
    answerBy: { by: 'choices', choices: keys.map((k) => ({ id: k, label: k })) },
    button: 'Compact everything',
    actions: [{ op: 'compact' }],
    answer: (events) => keysDropped(events, keys),
    explanation: explainDrops,
  };
}
