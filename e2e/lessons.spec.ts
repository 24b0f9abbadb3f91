// Every lesson walked end to end as a student would: read, try, predict, see what the engine really did. Each
// opens on its own database, set up for it (lessons-alone.spec.ts opens each by its link, first, and twice).
// The predictions chosen here are the right ones, so every reveal must say "Right." — and since the reveal is
// computed from the engine's events, this also proves the engine behaves as each lesson teaches.
import { expect, type Page, test } from '@playwright/test';
import { openApp, openPanel } from './helpers';

const ANSWERS: Record<string, string[]> = {
  'The write path and the WAL': ['The write-ahead log (disk)'],
  'Flush and SSTables': ['It is deleted, after the SSTable is committed'],
  'Crash and recovery': ['Yes'],
  'The read path, sparse index and bloom filters': ['None: bloom filters rule both out'],
  'Compaction and amplification': ['Merges L0 into L1 (a compaction)'],
  'Deletes and tombstones': ['A tombstone in the memtable (and the WAL)'],
};

/** The step's label ("Step 2 of 4 · try it"): what changes when the lesson moves on. */
const label = (text: string) => /Step \d+ of \d+[^A-Z]*/.exec(text)?.[0] ?? text;

async function walk(page: Page, title: string, answers: string[]): Promise<void> {
  await openPanel(page, 'Lessons');
  const lessons = page.getByRole('region', { name: 'Lessons' });
  if (await lessons.getByRole('button', { name: 'Course map' }).isVisible())
    await lessons.getByRole('button', { name: 'Course map' }).click();
  await lessons.getByRole('button', { name: title }).click();
  const step = lessons.getByTestId('lesson-step');
  await expect(step).toContainText('Step 1 of', { timeout: 20_000 });
  let predictions = 0;
  for (let guard = 0; guard < 10; guard++) {
    await expect(step).toBeVisible();
    const text = (await step.textContent()) ?? '';
    if (text.includes('Lesson done')) break;
    if (text.includes('predict, then see')) {
      await step.getByLabel(answers[predictions]!).check();
      await step.getByRole('button').click();
      await expect(step.getByTestId('lesson-reveal')).toContainText('Right.', { timeout: 15_000 });
      predictions++;
      await step.getByRole('button', { name: 'Next' }).click();
    } else {
      // An explanation (Next) or a "try it" step (its one button).
      await step.getByRole('button').click();
      await expect(step).not.toContainText(label(text), { timeout: 15_000 });
    }
  }
  expect(predictions).toBe(answers.length);
  await lessons.getByRole('button', { name: 'Course map' }).click();
  await expect(lessons.getByRole('button', { name: title })).toContainText('✓');
}

test('all six lessons, walked in order, each prediction checked against the live engine', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  for (const [title, answers] of Object.entries(ANSWERS)) await walk(page, title, answers);
  // Progress is kept in the browser.
  await page.reload();
  await openPanel(page, 'Lessons');
  const lessons = page.getByRole('region', { name: 'Lessons' });
  // The address names the last lesson, which opens again: its course map is a press away.
  await lessons.getByRole('button', { name: 'Course map' }).click();
  for (const title of Object.keys(ANSWERS))
    await expect(lessons.getByRole('button', { name: title })).toContainText('✓');
});
