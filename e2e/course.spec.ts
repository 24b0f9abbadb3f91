// The course (issue 21, items 4, 6 and 7): the Lessons panel opens on a map of chapters and lessons with done marks,
// practice scores and a folded note for the teacher, kept in the browser until Reset progress; a lesson keeps its
// question, the picture and the code on one screen; and the map, a lesson and its reveal are clean for axe, in
// normal and presenter mode.
import { expect, type Page, test } from '@playwright/test';
import { axeClean, openApp, openPanel } from './helpers';

const lessons = (page: Page) => page.getByRole('region', { name: 'Lessons' });

/** Goes through the open lesson to its end, answering every question with its first choice or nothing. */
async function finish(page: Page): Promise<void> {
  const step = lessons(page).getByTestId('lesson-step');
  for (let guard = 0; guard < 12; guard++) {
    await expect(step).toContainText(/Step \d+ of|Lesson done/, { timeout: 20_000 });
    const text = (await step.textContent()) ?? '';
    if (text.includes('Lesson done')) return;
    const label = /Step \d+ of \d+/.exec(text)![0];
    if (text.includes('predict, then see')) await step.getByRole('radio').first().check();
    if (text.includes('answer on the picture')) await page.getByTestId('pick').first().click();
    await step.getByRole('button').first().click();
    if (text.includes('predict, then see') || text.includes('answer on the picture')) {
      await expect(step.getByTestId('lesson-reveal')).toBeVisible({ timeout: 30_000 });
      await step.getByRole('button', { name: 'Next' }).click();
    }
    await expect(step).not.toContainText(label, { timeout: 30_000 });
  }
}

test('the course map: chapters, done marks, a note for the teacher, kept until Reset progress', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await openPanel(page, 'Lessons');
  const map = page.getByTestId('course-map');
  await expect(map.getByRole('heading', { level: 3 })).toHaveText([
    '1. Writes',
    '2. Disk',
    '3. Reads',
    '4. Compaction',
    '5. Failure',
  ]);
  await expect(map.getByTestId('practice-writes')).toContainText('no round yet');
  // A lesson from the map: its own database, its navigation, its note for the teacher folded.
  await map.getByRole('button', { name: /^1\.1 / }).click();
  const note = lessons(page).locator('.teacher-note');
  await expect(note).not.toHaveAttribute('open');
  await note.locator('summary').click();
  await expect(note).toContainText('Misconception');
  await finish(page);
  await lessons(page).getByRole('button', { name: 'Course map' }).click();
  await expect(map.getByRole('button', { name: /^1\.1 .*\(done\)$/ })).toContainText('✓');
  await expect(map).toContainText('1 done');
  // Kept in the browser…
  await page.goto('/');
  await openPanel(page, 'Lessons');
  await expect(map.getByRole('button', { name: /^1\.1 .*\(done\)$/ })).toBeVisible();
  // …until Reset progress.
  await map.getByRole('button', { name: 'Reset progress' }).click();
  await expect(map).toContainText('0 done');
  await expect(map.getByRole('button', { name: /\(done\)$/ })).toHaveCount(0);
});

test('a lesson keeps question, picture and code on one screen, before and after the reveal', async ({ page }) => {
  test.setTimeout(90_000);
  for (const [width, height] of [
    [1366, 768],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await openApp(page, '/?lesson=read-path');
    const step = lessons(page).getByTestId('lesson-step');
    await expect(step).toContainText('Step 1 of', { timeout: 20_000 });
    await step.getByRole('button', { name: 'Next' }).click();
    await step.getByRole('button').click();
    await expect(step).toContainText(/predict, then see|answer on the picture/, { timeout: 20_000 });
    // Before the reveal the code shows the algorithm the question is about: a Get.
    const code = page.getByRole('region', { name: /The code/ });
    await expect(code.getByRole('heading')).toContainText('get(key)');
    // Each of the three, once the picture has settled (a flushed file may still be gliding into L0).
    const inView = async (what: string) => {
      for (const part of [step, code, page.getByRole('region', { name: 'SSTables' })])
        await expect
          .poll(async () => {
            const box = (await part.boundingBox())!;
            return box.y + box.height;
          }, `${what} at ${width}×${height}`)
          .toBeLessThanOrEqual(height);
    };
    await inView('before the reveal');
    const text = (await step.textContent()) ?? '';
    if (text.includes('predict, then see')) await step.getByRole('radio').first().check();
    else await page.getByTestId('pick').first().click();
    await step.getByRole('button').first().click();
    const reveal = step.getByTestId('lesson-reveal');
    await expect(reveal).toBeVisible({ timeout: 20_000 });
    // After it: the reveal is scrolled into the lesson's box, the code's highlighted line into the code's.
    const current = code.locator('li.current');
    await expect(current).toBeVisible();
    const line = (await current.boundingBox())!;
    const codeBox = (await code.boundingBox())!;
    expect(line.y + line.height).toBeLessThanOrEqual(codeBox.y + codeBox.height + 1);
    const shown = (await reveal.boundingBox())!;
    const dock = (await page.getByTestId('dock').boundingBox())!;
    expect(shown.y).toBeGreaterThanOrEqual(dock.y - 1);
    expect(shown.y, 'the reveal starts on screen').toBeLessThan(height);
  }
});

test('axe is clean on the course map and a lesson with its reveal, in normal and presenter mode', async ({ page }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const presenter of [false, true]) {
    const mode = presenter ? 'presenter mode' : 'normal mode';
    await openApp(page);
    if (presenter) {
      await page.keyboard.press('p');
      await expect(page.locator('.app')).toHaveClass(/presenter/);
    }
    await openPanel(page, 'Lessons');
    await expect(page.getByTestId('course-map')).toBeVisible();
    await page.locator('.teacher-note').first().count();
    await axeClean(page, `the course map, ${mode}`);
    await page
      .getByTestId('course-map')
      .getByRole('button', { name: /^3\.1 / })
      .click();
    const step = lessons(page).getByTestId('lesson-step');
    await expect(step).toContainText('Step 1 of', { timeout: 20_000 });
    await lessons(page).locator('.teacher-note summary').click();
    await axeClean(page, `a lesson, ${mode}`);
    await step.getByRole('button', { name: 'Next' }).click();
    await step.getByRole('button').click();
    await expect(step).toContainText(/predict, then see|answer on the picture/, { timeout: 20_000 });
    await axeClean(page, `a question, ${mode}`);
    const text = (await step.textContent()) ?? '';
    if (text.includes('predict, then see')) await step.getByRole('radio').first().check();
    else await page.getByTestId('pick').first().click();
    await step.getByRole('button').first().click();
    await expect(step.getByTestId('lesson-reveal')).toBeVisible({ timeout: 20_000 });
    await axeClean(page, `a reveal, ${mode}`);
    // Presenter mode keeps the lesson's navigation and the course map.
    await expect(lessons(page).getByRole('button', { name: 'Course map' })).toBeVisible();
  }
});
