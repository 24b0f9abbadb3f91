// The embed view for slides and course pages: ?embed is the picture, the caption and a compact toolbar in 800×450,
// on a database of its own, with lessons and settings from the address; the Share panel gives its <iframe>.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openApp, openPanel, putKey } from './helpers';

test('?embed fits 800×450 with the picture, the caption and a compact toolbar, and no lab panels', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 450 });
  // Reduced motion: axe then never meets a half-faded element.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?embed&memtable=128');
  await expect(page.getByTestId('connection')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Write-ahead log', exact: true })).toBeVisible();
  for (const name of ['Write-ahead log', 'Memtable', 'SSTables']) {
    const box = await page.getByRole('region', { name, exact: true }).boundingBox();
    expect(box!.y + box!.height, `${name} fits`).toBeLessThanOrEqual(450);
  }
  await expect(page.getByRole('navigation', { name: 'Panels' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Timeline player' })).toHaveCount(0);
  const size = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  expect(size).toEqual({ width: 800, height: 450 });

  // The address's settings apply: a 128-byte memtable flushes after a few inserts.
  const insert = page.getByRole('button', { name: 'Insert random', exact: true });
  await expect(insert).toBeEnabled();
  for (let i = 0; i < 6; i++) {
    await insert.click();
    await expect(page.getByRole('status')).toContainText('acknowledged');
  }
  await expect(page.getByTestId('sstable').first()).toBeVisible({ timeout: 15_000 });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
});

test('an embed opens a lesson beside the picture, and works on its own database', async ({ page, context }) => {
  await openApp(page);
  await putKey(page, 'lab:only', 'not in the embed');
  const embed = await context.newPage();
  await embed.setViewportSize({ width: 800, height: 450 });
  await embed.goto('/?embed&lesson=3');
  // The lab keeps its database open in the first tab: the embed is not locked out.
  await expect(embed.getByRole('region', { name: 'Lessons' })).toBeVisible();
  await expect(embed.getByRole('heading', { name: 'Crash and recovery' })).toBeVisible();
  await expect(embed.getByTestId('locked')).toHaveCount(0);
  await expect(embed.getByRole('button', { name: 'Get', exact: true })).toBeEnabled();
  await embed.getByLabel('Key', { exact: true }).fill('lab:only');
  await embed.getByRole('button', { name: 'Get', exact: true }).click();
  await expect(embed.getByRole('status')).toContainText('lab:only: not found', { timeout: 15_000 });
});

test('Share gives the <iframe> snippet of the embed view', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'shared', 'in the embed');
  await openPanel(page, 'Share');
  await page.getByLabel('Start from this scenario').check();
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  expect(snippet).toMatch(
    /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed#scenario=[A-Za-z0-9_-]+" width="800" height="450"/,
  );
  const src = /src="([^"]+)"/.exec(snippet)![1]!;
  const embed = await page.context().newPage();
  await embed.setViewportSize({ width: 800, height: 450 });
  await embed.goto(src);
  await expect(embed.getByRole('status')).toContainText('Replayed a shared scenario', { timeout: 20_000 });
  await expect(embed.getByRole('navigation', { name: 'Panels' })).toHaveCount(0);
});
