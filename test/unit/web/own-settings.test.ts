// A lesson opened after a practice question (or another lesson) without going back to the class database must
// run on its own settings: the store's settings then are the question's, and a setting its setup changed that the
// lesson's does not name (compaction practice's l0Trigger of 8) used to carry over, so that the Leveled compaction
// lesson's fourth flush merged nothing ("Nothing: L0 just grows").
import { describe, expect, it } from 'vitest';
import { lessonBySlug } from '../../../web/model/lessons';
import { practiceQuestion } from '../../../web/model/practice';
import { ownSettings } from '../../../web/store/own-settings';
import { useLab } from '../../../web/store/store';
import { scenarioEngine } from './scenario-engine';

describe('a lesson’s own database', () => {
  it('opens with the lesson’s settings, not those a practice question left in the store', async () => {
    const question = practiceQuestion('compaction-drops', 3);
    expect(question.setup.settings).toMatchObject({ l0Trigger: 8 });
    // What openOwnDatabase left in the store for the question, and a change the question's step could make.
    useLab.setState({ settings: { ...ownSettings(question.setup), groupCommitMs: 3_600_000 } as never });

    const lesson = lessonBySlug('compaction')!;
    const settings = ownSettings(lesson.setup) as unknown as Record<string, unknown>;
    expect(settings).not.toHaveProperty('l0Trigger');
    expect(settings).not.toHaveProperty('groupCommitMs');

    // And so the lesson's first question goes as it says: two more flushes make four L0 files, and they merge.
    const db = await scenarioEngine(settings);
    await db.run(lesson.setup.ops);
    const step = lesson.steps.find((s) => s.kind === 'predict')!;
    if (step.kind !== 'predict') throw new Error('the lesson asks a prediction');
    expect(step.outcome(await db.run(step.actions))).toBe('compact');
  });
});
