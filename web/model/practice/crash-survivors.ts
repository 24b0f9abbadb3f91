// "What survives?": random writes, some flushed into an SSTable and some only in the memtable and the WAL, in a
// random durability mode, then a process crash or a power loss, recovery, and a Get for each key. The student
// ticks the keys a Get will find; the Gets' read.end events say which it did.
import { t } from '../../i18n';
import { list, setup, text } from '../lessons/lesson';
import type { ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';
import { between, drawKeys, drawValue, oneOf, type Random } from './draw';
import type { PracticeQuestion } from './question';

/** The keys (as text) the Gets after recovery found, in key order. */
export function keysFound(events: readonly TimelineEvent[], keys: readonly string[]): string[] {
  const recovered = events.findIndex((e) => e.type === 'recovery.end');
  const found = new Set<string>();
  for (const e of events.slice(recovered + 1)) if (e.type === 'read.end' && e.found) found.add(text(e.key));
  return keys.filter((k) => found.has(k));
}

export function explainSurvivors(events: readonly TimelineEvent[], keys: readonly string[]): string {
  const parts: string[] = [];
  const crash = events.find((e) => e.type === 'crash');
  if (crash?.type === 'crash')
    parts.push(
      crash.kind === 'power'
        ? t('lessons:practice.survivors.tookPower', { count: crash.memtableEntries })
        : t('lessons:practice.survivors.tookCrash', { count: crash.memtableEntries }),
    );
  const manifest = events.find((e) => e.type === 'recovery.manifest');
  if (manifest?.type === 'recovery.manifest')
    parts.push(
      manifest.tables.length > 0
        ? t('lessons:practice.survivors.manifest', {
            count: manifest.tables.length,
            files: list(manifest.tables.map((table) => table.file)),
          })
        : t('lessons:practice.survivors.manifestNone'),
    );
  const replays = events.filter((e) => e.type === 'recovery.replay');
  parts.push(
    replays.length > 0
      ? t('lessons:practice.survivors.replayed', {
          count: replays.length,
          records: list(
            replays.map((r) =>
              r.type !== 'recovery.replay'
                ? ''
                : r.op === 'delete'
                  ? t('lessons:practice.survivors.delete', { key: text(r.key) })
                  : text(r.key),
            ),
          ),
        })
      : t('lessons:practice.survivors.noReplay'),
  );
  const found = keysFound(events, keys);
  const missing = keys.filter((k) => !found.includes(k));
  const facts = {
    found: found.length > 0 ? list(found) : t('lessons:practice.survivors.noneOfThem'),
    missing: list(missing),
  };
  parts.push(
    missing.length > 0 ? t('lessons:practice.survivors.gotMissing', facts) : t('lessons:practice.survivors.got', facts),
  );
  return parts.join(' ');
}

export function crashSurvivors(random: Random): PracticeQuestion {
  const durability = oneOf(random, ['durable', 'group', 'relaxed'] as const);
  const kind = oneOf(random, ['process', 'power'] as const);
  const keys = drawKeys(random, between(random, 4, 5));
  const early = keys.slice(0, between(random, 1, 3));
  const late = keys.slice(early.length);
  const ops: ScenarioOp[] = early.map((key) => ({ op: 'put', key, value: drawValue(random) }));
  const flushed = random() < 0.7;
  if (flushed) ops.push({ op: 'flush' });
  for (const key of late) ops.push({ op: 'put', key, value: drawValue(random) });
  if (random() < 0.4) ops.push({ op: 'delete', key: oneOf(random, early) });
  const settings = {
    durability,
    memtableBytes: 4096,
    // Relaxed writes are flushed to the WAL within groupCommitMs: an hour, so that none is while the student thinks.
    groupCommitMs: durability === 'relaxed' ? 3_600_000 : 5,
  };
  const crash: ScenarioOp =
    kind === 'power' ? { op: 'crash', kind, seed: between(random, 1, 0x7fffffff) } : { op: 'crash', kind };
  return {
    kind: 'crash-survivors',
    get prompt() {
      return kind === 'power'
        ? t('lessons:practice.survivors.promptPower', { durability })
        : t('lessons:practice.survivors.promptCrash', { durability });
    },
    setup: setup(ops, settings),
    answerBy: { by: 'choices', choices: keys.map((k) => ({ id: k, label: k })) },
    get button() {
      return kind === 'power'
        ? t('lessons:practice.survivors.buttonPower')
        : t('lessons:practice.survivors.buttonCrash');
    },
    actions: [crash, { op: 'recover' }, ...keys.map((key): ScenarioOp => ({ op: 'get', key }))],
    answer: (events) => keysFound(events, keys),
    explanation: (events) => explainSurvivors(events, keys),
  };
}
