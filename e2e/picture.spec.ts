// The picture tells each step as the engine took it, and keeps its drawings where they belong (issue 20, items 5,
// 12 and 14): a crash banner ends with the recovery, cards stay under their level's heading and inside their column
// while they move, and a Get inside an SSTable is shown one sub-step at a time, its binary search on the block's
// entries. Every assertion is on what is drawn, waiting for the engine's state, never for time.
import { expect, type Page, test } from '@playwright/test';
import { openApp, putKey } from './helpers';

/** A part of the picture drawn outside where it belongs, in one animation frame. */
interface Misplaced {
  what: string;
  box: { top: number; bottom: number; left: number; right: number };
  bound: { top: number; bottom: number; left: number; right: number };
}

/**
 * Starts checking, in every animation frame until stopped, where the drawings are: each card of L1 and deeper below
 * its level's heading, and each WAL card and record inside the write-ahead log's column. Returns what it found wrong
 * and in how many frames it looked (with a compaction running, and with two WAL files drawn).
 */
async function watchGeometry(
  page: Page,
): Promise<() => Promise<{ misplaced: Misplaced[]; frames: number; compacting: number; walFiles: string[] }>> {
  await page.evaluate(() => {
    type Box = { top: number; bottom: number; left: number; right: number };
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const watch = {
      misplaced: [] as Array<{ what: string; box: Box; bound: Box }>,
      frames: 0,
      compacting: 0,
      walFiles: new Set<string>(),
      stop: false,
    };
    (window as unknown as { geometry: typeof watch }).geometry = watch;
    const frame = () => {
      if (watch.stop) return;
      watch.frames++;
      if (document.querySelector('[data-testid="compaction"].running')) watch.compacting++;
      // The deeper levels: a flush's new L0 file flies in from the memtable, past L0's heading on its way.
      for (const row of document.querySelectorAll('[data-testid^="level-"]:not([data-testid="level-0"])')) {
        const heading = row.querySelector('.level-heading');
        if (!heading) continue;
        const bound = box(heading);
        for (const card of row.querySelectorAll('[data-testid="sstable"]')) {
          const b = box(card);
          if (b.bottom - b.top > 0 && b.top < bound.bottom - 0.5) {
            watch.misplaced.push({
              what: `${row.getAttribute('data-testid')}: ${card.textContent?.slice(0, 10)}`,
              box: b,
              bound,
            });
          }
        }
      }
      const column = document.querySelector('section[aria-label="Write-ahead log"]');
      if (column) {
        const bound = box(column);
        for (const el of column.querySelectorAll('[data-testid="wal"], .record')) {
          const b = box(el);
          if (el.matches('[data-testid="wal"]'))
            watch.walFiles.add(el.querySelector('[data-testid="wal-file"]')?.textContent ?? '');
          if (b.bottom - b.top === 0) continue;
          if (
            b.top < bound.top - 0.5 ||
            b.bottom > bound.bottom + 0.5 ||
            b.left < bound.left - 0.5 ||
            b.right > bound.right + 0.5
          ) {
            watch.misplaced.push({ what: `WAL: ${el.textContent?.slice(0, 24)}`, box: b, bound });
          }
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  return () =>
    page.evaluate(() => {
      const watch = (
        window as unknown as {
          geometry: {
            misplaced: Misplaced[];
            frames: number;
            compacting: number;
            walFiles: Set<string>;
            stop: boolean;
          };
        }
      ).geometry;
      watch.stop = true;
      return {
        misplaced: watch.misplaced,
        frames: watch.frames,
        compacting: watch.compacting,
        walFiles: [...watch.walFiles],
      };
    });
}

/** The player's position: steps shown, of how many the engine took. */
async function position(page: Page): Promise<{ shown: number; of: number }> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  const [, shown, of] = /step (\d+) of (\d+)/.exec(text) ?? [];
  return { shown: Number(shown), of: Number(of) };
}

/** Waits until the player has shown every step the engine took. */
async function allShown(page: Page): Promise<void> {
  await expect(page.getByTestId('position')).not.toContainText('to show');
}

/** Clicks `name` and waits until the engine did something and the player has shown all of it. */
async function pressAndShow(page: Page, name: string): Promise<void> {
  const before = await position(page);
  await page.getByRole('button', { name, exact: true }).click();
  await expect.poll(async () => (await position(page)).of).toBeGreaterThan(before.of);
  await allShown(page);
}

test('after Recover with an empty memtable, the memtable no longer says the process crashed', async ({ page }) => {
  await openApp(page);
  const memtable = page.getByRole('region', { name: 'Memtable' });
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await expect(memtable.locator('.crash-banner')).toContainText('Process crashed. 0 entries in memory lost.');

  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('now')).toContainText('Recovered: 0 WAL records replayed into the memtable');
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect(memtable.locator('.crash-banner')).toHaveCount(0);
  await expect(memtable).not.toHaveClass(/crashed/);
  await expect(memtable.getByTestId('memtable')).toContainText('Empty.');
});

test('mid-compaction, every SSTable card stays under its level heading (1366x768, Normal speed)', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  // Four flushes of three keys: L0 reaches its trigger and is merged into L1. Then three more files in L0.
  for (let file = 0; file < 7; file++) {
    for (let i = 0; i < 3; i++) await putKey(page, `user:${file}${i}`, `value ${file}${i}`);
    await pressAndShow(page, 'Flush');
  }
  await expect(page.getByTestId('level-0').getByTestId('sstable')).toHaveCount(3);
  await expect(page.getByTestId('level-1').getByTestId('sstable')).toHaveCount(2);

  await page.getByLabel('Animation speed').selectOption('normal');
  const stop = await watchGeometry(page);
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Compacted every key down to the last level');
  await allShown(page);
  // Until the last cards have settled: L0 empty, every input gone from L1.
  await expect(page.getByTestId('level-0').getByTestId('sstable')).toHaveCount(0);
  await expect(page.locator('[data-testid="sstable"].merging')).toHaveCount(0);
  const seen = await stop();
  expect(seen.compacting, 'frames drawn while the compaction ran').toBeGreaterThan(10);
  expect(seen.misplaced).toEqual([]);
});

test('during rapid Insert random clicks, every WAL card and record stays inside its column', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('normal');
  const stop = await watchGeometry(page);
  const insert = page.getByRole('button', { name: 'Insert random', exact: true });
  // A burst, then clicks as fast as the picture shows them, until two memtables were flushed and their WALs
  // replaced by new ones.
  for (let i = 0; i < 5; i++) await insert.click();
  await allShown(page);
  let flushes = 0;
  while (flushes < 2) {
    const before = await page.getByTestId('level-0').getByTestId('sstable').count();
    await pressAndShow(page, 'Insert random');
    if ((await page.getByTestId('level-0').getByTestId('sstable').count()) > before) flushes++;
  }
  await expect(page.getByTestId('wal')).toHaveCount(1);
  const seen = await stop();
  expect(seen.walFiles.length, 'WAL files drawn').toBeGreaterThanOrEqual(3);
  expect(seen.misplaced).toEqual([]);
});
