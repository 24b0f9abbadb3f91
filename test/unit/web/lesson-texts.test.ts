// A lesson's words before a step runs say what to do and what to watch, never what the engine will produce
// (issue 21, item 2): the names of files the engine makes, and the outcomes of the step, come only in the reveal,
// told from its events. These checks catch the forms such a sentence took before.
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../../web/model/lessons';

/** Every text a step shows before its actions run, with the files the lesson's actions up to it name themselves. */
const before = LESSONS.flatMap((lesson) =>
  lesson.steps.map((step, i) => ({
    where: `${lesson.id}, step ${i + 1}`,
    text: step.kind === 'explain' || step.kind === 'try' ? step.text : step.question,
    named: lesson.steps
      .slice(0, i + 1)
      .flatMap((s) => ('actions' in s ? s.actions : []))
      .flatMap((a) => ('file' in a ? [a.file] : [])),
  })),
);

describe('what a lesson says before a step runs', () => {
  it('names no file the engine makes, unless the step itself acts on it', () => {
    for (const { where, text, named } of before)
      for (const [file] of text.matchAll(/\b\d{6}\.(?:sst|log)\b|MANIFEST-\d+/g))
        expect(named, `${where} names ${file}`).toContain(file);
  });

  it('tells no outcome in advance: no "appears", "is acknowledged", "still sees", "makes four"', () => {
    const asserted =
      /\b(appears|are acknowledged|is acknowledged after|still sees|makes (?:two|three|four)|tearing|are garbage|will only be)\b/i;
    for (const { where, text } of before) expect(text, where).not.toMatch(asserted);
  });
});
