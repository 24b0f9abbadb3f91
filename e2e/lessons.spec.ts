// Every lesson walked end to end as a student would: read, try, predict, see what the engine really did. Each
// opens on its own database, set up for it (lessons-alone.spec.ts opens each by its link, first, and twice).
// The predictions chosen here are the right ones, so every reveal must say "Right." — and since the reveal is
// computed from the engine's events, this also proves the engine behaves as each lesson teaches.
import { expect, type Page, test } from '@playwright/test';
import { openApp, openPanel } from './helpers';

const ANSWERS: Record<string, string[]> = {
  '1. The write path and the WAL': ['The write-ahead log (disk)'],
  '2. Flush and SSTables': ['It is deleted, after the SSTable is committed'],
  '3. Crash and recovery': ['Yes'],
  '4. The read path, sparse index and bloom filters': ['None: bloom filters rule both out'],
  '5. Compaction and amplification': ['Merges L0 into L1 (a compaction)'],
  '6. Deletes and tombstones': ['A tombstone in the memtable (and the WAL)'],
};

async function walk(page: Page, title: string, answers: string[]): Promise<void> {
  await openPanel(page, 'Lessons');
  const lessons = page.getByRole('region', { name: 'Lessons' });
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
      const before = text;
      await step.getByRole('button').click();
      await expect(step).not.toHaveText(before, { timeout: 15_000 });
    }
  }
  expect(predictions).toBe(answers.length);
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
  for (const title of Object.keys(ANSWERS))
    await expect(lessons.getByRole('button', { name: title })).toContainText('✓');
});
