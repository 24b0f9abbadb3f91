// Practice after a chapter (issue 21, item 5): a round drawn from a fixed seed (`?practice=<chapter>&seed=<n>`), each
// kind of question answered right once and wrong once. What is right comes from the same question run on the real
// engine in Node (test/unit/web/scenario-engine.ts, on MemoryStorage); the page runs it on its own engine on OPFS,
// and its reveal must name that answer, mark it on the picture (or on the ticked keys), and count it in the score
// kept in localStorage.
import '../test/i18n-en';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { scenarioEngine } from '../test/unit/web/scenario-engine';
import { type PracticeKind, type PracticeQuestion, practiceRound } from '../web/model/practice';
import { axeClean } from './helpers';

/** The engine's answer to a question: the question run in Node, its answer read from that run's events. */
async function engineAnswer(question: PracticeQuestion): Promise<string[]> {
  const db = await scenarioEngine(question.setup.settings);
  await db.run(question.setup.ops);
  return question.answer(await db.run(question.actions));
}

const SEED = 1;

/** Things in words, as the reveal names them: "a, b and c", "nothing". */
const named = (ids: readonly string[]) =>
  ids.length === 0 ? 'nothing' : ids.length === 1 ? ids[0]! : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
const step = (page: Page) => page.getByTestId('practice-step');
const picks = (page: Page, mark: string) => page.locator(`[data-testid="pick"][data-mark="${mark}"]`);
const idsOf = async (items: Locator) =>
  (await items.evaluateAll((e) => e.map((x) => x.getAttribute('data-pick')!))).sort();

/** Something the engine will not agree with: the answer with one thing more or less. */
async function wrongAnswer(page: Page, question: PracticeQuestion, answer: string[]): Promise<string[]> {
  const { answerBy } = question;
  if (answerBy.by === 'choices') {
    const first = answerBy.choices[0]!.id;
    return answer.includes(first) ? answer.filter((a) => a !== first) : [...answer, first];
  }
  if (answerBy.single) return [(await idsOf(picks(page, 'open'))).find((id) => !answer.includes(id))!];
  return answer.length > 0 ? [] : [(await idsOf(picks(page, 'open')))[0]!];
}

/** Answers a question with `chosen`, runs it, and checks the reveal against the engine's `answer`. */
async function answerQuestion(page: Page, question: PracticeQuestion, chosen: string[], answer: string[]) {
  const right = chosen.length === answer.length && chosen.every((c) => answer.includes(c));
  const card = step(page);
  if (question.answerBy.by === 'pick') {
    for (const id of chosen) await page.locator(`[data-testid="pick"][data-pick="${id}"]`).click();
    await expect(card.getByTestId('practice-pointed')).toHaveText(chosen.length === 0 ? 'nothing' : /.+/);
    expect(await idsOf(picks(page, 'chosen'))).toEqual([...chosen].sort());
  } else {
    for (const id of chosen) await card.getByRole('checkbox', { name: id, exact: true }).check();
  }
  await card.getByRole('button', { name: question.button }).click();
  const reveal = card.getByTestId('practice-reveal');
  await expect(reveal).toBeVisible({ timeout: 30_000 });
  await expect(reveal).toContainText(`${right ? 'Right.' : 'Not quite.'} You chose`);
  // The answer the page's engine gave is the one the Node engine gave the same question.
  await expect(card.getByTestId('practice-answer')).toHaveText(named(answer));
  if (question.answerBy.by === 'pick') {
    // The picture marks what the engine did: right where pointed at, missed where not, wrong where it did not.
    expect([...(await idsOf(picks(page, 'right'))), ...(await idsOf(picks(page, 'missed')))].sort()).toEqual(
      [...answer].sort(),
    );
    expect(await idsOf(picks(page, 'wrong'))).toEqual(chosen.filter((c) => !answer.includes(c)).sort());
  } else {
    for (const choice of question.answerBy.choices) {
      const label = card.locator('label', { hasText: choice.label });
      const mark = chosen.includes(choice.id)
        ? answer.includes(choice.id)
          ? '✓ right'
          : '✗ wrong'
        : answer.includes(choice.id)
          ? '○ missed'
          : null;
      if (mark) await expect(label).toContainText(mark);
      else await expect(label).toHaveCount(0);
    }
  }
  // The explanation names what the engine did, as the picture shows it.
  if (question.kind === 'get-reads') {
    for (const file of answer) {
      await expect(reveal).toContainText(file);
      await expect(page.getByRole('region', { name: 'SSTables' })).toContainText(file);
    }
  }
  if (question.kind === 'flush-level') await expect(reveal).toContainText(`Its entries are in ${answer[0]}`);
  if (question.kind === 'crash-survivors')
    await expect(reveal).toContainText(`The Gets found ${answer.length > 0 ? named(answer) : 'none of the keys'}`);
  if (question.kind === 'compaction-drops') for (const key of answer) await expect(reveal).toContainText(`${key}'s`);
  return { right, reveal };
}

for (const chapter of ['writes', 'reads']) {
  test(`a ${chapter} practice round: each kind answered right, then wrong, checked by the engine`, async ({ page }) => {
    test.setTimeout(240_000);
    const round = practiceRound(chapter, SEED);
    const answers = await Promise.all(round.map(engineAnswer));
    page.on('dialog', (dialog) => void dialog.accept());
    // Reduced motion: no row is half faded in when axe looks (the app honours it everywhere).
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`/?practice=${chapter}&seed=${SEED}`);
    await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
    await page.getByLabel('Animation speed').selectOption('instant');
    await page.getByRole('button', { name: 'Start a practice round' }).click();

    const seen = new Map<PracticeKind, number>();
    let score = 0;
    for (const [i, question] of round.entries()) {
      await expect(step(page)).toContainText(`Question ${i + 1} of 5`);
      await expect(step(page).getByText(question.prompt)).toBeVisible({ timeout: 30_000 });
      if (question.answerBy.by === 'pick') await expect(picks(page, 'open').first()).toBeVisible();
      if (i === 0) {
        await axeClean(page, `${chapter} practice, a question open`);
        // Presenter mode keeps the round beside the picture, as accessible.
        await page.getByLabel('Presenter').check();
        await expect(step(page).getByText(question.prompt)).toBeVisible();
        await axeClean(page, `${chapter} practice in presenter mode`);
        await page.getByLabel('Presenter').uncheck();
      }
      // The first question of a kind answered right, the next one wrong, then right again.
      const occurrence = seen.get(question.kind) ?? 0;
      seen.set(question.kind, occurrence + 1);
      const answer = answers[i]!;
      const chosen = occurrence % 2 === 0 ? answer : await wrongAnswer(page, question, answer);
      const { right } = await answerQuestion(page, question, chosen, answer);
      expect(right).toBe(occurrence % 2 === 0);
      if (right) score++;
      if (i === 0) await axeClean(page, `${chapter} practice, a reveal`);
      await step(page)
        .getByRole('button', { name: i < 4 ? 'Next question' : 'See the score' })
        .click();
    }
    expect([...seen.values()].every((n) => n >= 2)).toBe(true);
    await expect(page.getByTestId('practice-score')).toContainText(`Round done: ${score} of 5 right.`);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('lsm-lab:lessons') ?? '{}'));
    expect(stored.practice[chapter]).toEqual({ last: score, best: score, rounds: 1 });

    // Back to the class database: the practice database is put away.
    await page.getByRole('button', { name: 'Back to the class database' }).click();
    await expect(page.getByRole('status').first()).toContainText('Back to the class database');
  });
}
