// The classroom features: the timeline player, keyboard shortcuts, presenter mode, the pseudocode panel,
// accessibility (axe, WCAG 2 A and AA) and privacy (no network request, a Content-Security-Policy).
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

async function position(page: Page): Promise<{ at: number; of: number }> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  const match = /step (\d+) of (\d+)/.exec(text);
  return { at: Number(match?.[1]), of: Number(match?.[2]) };
}

test('the player pauses, steps back and forward, and scrubs through what the engine did', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'a', '1');
  await putKey(page, 'b', '2');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(2);
  const end = await position(page);
  expect(end.at).toBe(end.of);

  // Space pauses (focus on the page, not a field); ← steps back one I/O step: b leaves the memtable.
  await page.getByTestId('now').click();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(1);
  expect((await position(page)).at).toBe(end.at - 1);
  await openPanel(page, 'Code');
  await expect(page.getByTestId('pseudocode').locator('li.current')).toContainText('wal.flush()');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(2);
  await openPanel(page, 'Code');
  await expect(page.getByTestId('pseudocode').locator('li.current')).toContainText('memtable.insert(key, value)');

  // Step by operation: back to the start of the put of b (its WAL append not yet shown).
  await page.getByText('Player', { exact: true }).click();
  await page.getByLabel('Step by').selectOption('operation');
  await page.getByTestId('now').click();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('wal').locator('.record')).toHaveCount(1);
  // Scrub to the very start: nothing of either put is shown.
  await page.getByLabel('Timeline position').fill(String((await position(page)).at - 100));
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(0);

  // Writes made while paused wait their turn, and so does the status line: it never announces what the picture has
  // not shown yet. Play shows them.
  await page.getByLabel('Key', { exact: true }).fill('c');
  await page.getByLabel('Value', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByTestId('position')).toContainText('to show');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(0);
  await expect(page.getByRole('status')).not.toContainText('Put c = 3');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(3);
  await expect(page.getByRole('status')).toContainText('Put c = 3: acknowledged');
});

test('keyboard shortcuts drive the lab: insert, flush, crash, recover, presenter mode, help', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('now').click();
  await page.keyboard.press('i');
  await expect(page.getByRole('status')).toContainText('acknowledged');
  await page.keyboard.press('f');
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await page.keyboard.press('c');
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await page.keyboard.press('r');
  await expect(page.getByTestId('report')).toContainText('Lost: 0.');
  await page.keyboard.press('p');
  await expect(page.locator('.app')).toHaveClass(/presenter/);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  // Typing in a field is typing, not a shortcut.
  await page.getByLabel('Key', { exact: true }).fill('');
  await page.getByLabel('Key', { exact: true }).press('f');
  await expect(page.getByLabel('Key', { exact: true })).toHaveValue('f');
  await expect(page.getByTestId('sstable')).toHaveCount(1);
});

test('axe finds no WCAG 2 A or AA violation on the main screens', async ({ page, context }) => {
  test.setTimeout(60_000);
  const scan = async (target: Page, screen: string) => {
    const results = await new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const summary = results.violations.map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join(' | ')}`,
    );
    expect(summary, `axe violations on ${screen}`).toEqual([]);
  };
  // Reduced motion: the app honours it (no animations), and axe then never meets a half-faded element.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await putKey(page, 'user:1', 'Ada');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await getKey(page, 'user:1');
  await scan(page, 'the lab');
  await page.getByLabel('Presenter mode').check();
  await scan(page, 'presenter mode');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toBeVisible();
  await scan(page, 'the durability report');
  await page.getByRole('button', { name: 'Shortcuts (?)' }).click();
  await scan(page, 'the shortcuts dialog');
  const second = await context.newPage();
  await second.emulateMedia({ reducedMotion: 'reduce' });
  await second.goto('/');
  await expect(second.getByTestId('locked')).toBeVisible();
  await scan(second, 'the locked screen');
});

test('the app makes no network request beyond its own files, and ships a Content-Security-Policy', async ({ page }) => {
  const foreign: string[] = [];
  const appOrigin = new URL(test.info().project.use.baseURL ?? '').origin;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== appOrigin && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      foreign.push(request.url());
    }
  });
  await openApp(page);
  await putKey(page, 'private', 'stays here');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await openPanel(page, 'Workload');
  await page.getByRole('spinbutton', { name: 'Operations', exact: true }).fill('300');
  await page.getByRole('button', { name: 'Run workload' }).click();
  await expect(page.getByRole('status')).toContainText('Workload done', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  expect(foreign).toEqual([]);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("connect-src 'self'");
});

test('after the first visit the app works offline', async ({ page, context }) => {
  await openApp(page);
  await putKey(page, 'offline', 'still here');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // The first load was not yet controlled by the worker: reload once online, then go offline.
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await getKey(page, 'offline');
  await expect(page.getByRole('status')).toContainText('offline = still here');
  await context.setOffline(false);
});

test('twin databases run the same workload and compare: compaction off reads more SSTables per get', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openApp(page);
  await openPanel(page, 'Twins');
  await page.getByLabel('Compare').selectOption('Compaction on vs off');
  await page.getByLabel('Twin operations').fill('600');
  await page.getByRole('button', { name: 'Run both' }).click();
  const table = page.getByTestId('twin-results');
  const row = table.getByRole('row', { name: /SSTables per get/ });
  await expect(row.getByRole('cell').first()).not.toHaveText('–', { timeout: 60_000 });
  const [leveled, off] = await row.getByRole('cell').allTextContents();
  expect(Number(off)).toBeGreaterThan(Number(leveled));
  await expect(row.getByRole('cell').first()).toHaveClass(/better/);
  await expect(table.getByRole('row', { name: /SSTables L0/ })).toBeVisible();
});
