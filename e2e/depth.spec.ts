// Engine depth as a class sees it: a workload fills the levels through real compactions, reads show the
// bloom filters skipping files, and switching compaction off visibly costs more files per read.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { getKey, openApp, openMore, openPanel, putKey } from './helpers';

async function runWorkload(page: Page, operations: number): Promise<void> {
  await openPanel(page, 'Workload');
  await page.getByRole('spinbutton', { name: 'Operations', exact: true }).fill(String(operations));
  await page.getByRole('button', { name: 'Run workload' }).click();
  await expect(page.getByTestId('workload-progress')).toContainText(`${operations.toLocaleString('en')} of`, {
    timeout: 120_000,
  });
  await expect(page.getByRole('status')).toContainText('Workload done', { timeout: 30_000 });
}

/** The figure the metrics panel shows once the engine's stats caught up with the last operation. */
async function readAmplification(page: Page): Promise<number> {
  await openPanel(page, 'Workload');
  const text = await page.getByTestId('read-amp').textContent();
  return Number.parseFloat(text ?? 'NaN');
}

test('a 2,000-operation workload fills the levels through compactions', async ({ diskPage: page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await runWorkload(page, 2000);

  await expect(page.getByTestId('compaction')).toContainText(/Compaction #\d+ done \(leveled\)/);
  // The lab's default is LevelDB's static level targets: L0 merges into L1, L1 into L2.
  await expect(page.getByTestId('level-1').getByTestId('sstable').first()).toBeVisible();
  await expect(page.getByTestId('level-2').getByTestId('sstable').first()).toBeVisible();
  // Leveled: no more L0 files than the trigger, once compacted-away cards have finished leaving.
  await expect.poll(() => page.getByTestId('level-0').getByTestId('sstable').count()).toBeLessThanOrEqual(4);
  await openPanel(page, 'Workload');
  await expect(page.getByTestId('compactions')).toHaveText(/^[1-9]\d* compactions$/);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Compaction (leveled)');

  // An absent key inside a table's range: its bloom filter rules the file out without reading a block. (Which of
  // the workload's files cover a given key depends on how compactions split them: a flushed table of two keys
  // either side of it makes sure one does.)
  await putKey(page, 'key:00004999', 'below');
  await putKey(page, 'key:00005001', 'above');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Flushed the memtable');
  // A filter of a few keys says "maybe" for an absent key now and then: 64 bits, and a probe's double hashing
  // mod 64 can land its 7 probes on a few bits (the workload's seed is random, so which keys share the table is
  // too). The first of a few absent keys in that range that the filter rules out is the one shown.
  await openPanel(page, 'Reads');
  let ruledOut = '';
  for (const key of ['key:00005000x', 'key:00005000y', 'key:00005000z', 'key:00005000w']) {
    await getKey(page, key);
    await expect(page.getByRole('status')).toContainText(`${key}: not found`);
    await expect(page.locator('.read-result')).toBeVisible();
    await expect(page.locator('.read-key')).toContainText(key);
    if ((await page.getByTestId('read-steps').textContent())?.includes('bloom filter: definitely not here')) {
      ruledOut = key;
      break;
    }
  }
  expect(ruledOut, 'no absent key was ruled out by a bloom filter').not.toBe('');
  await expect(page.getByRole('status')).toContainText(/[1-9]\d* skipped by bloom filters/);
});

test('switching compaction off leaves more L0 files and raises read amplification', async ({ diskPage: page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await runWorkload(page, 2000);
  await openPanel(page, 'Workload');
  await expect(page.getByTestId('read-amp')).toBeVisible();
  await expect.poll(() => readAmplification(page)).toBeGreaterThan(0);
  const leveled = await readAmplification(page);

  await openMore(page);
  await page.getByRole('button', { name: 'Reset database', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Reset');
  await openPanel(page, 'Settings');
  await page.getByRole('combobox', { name: 'Compaction', exact: true }).selectOption('off');
  await runWorkload(page, 2000);
  await expect(page.getByTestId('level-0').getByRole('heading')).toContainText(/L0 (\d{2,}) files/);
  await expect(page.getByTestId('level-1').getByTestId('sstable')).toHaveCount(0);
  await expect.poll(() => readAmplification(page), { timeout: 10_000 }).toBeGreaterThan(leveled * 2);
});

test('a scan merges the memtable and the SSTables into one ordered result', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'fruit:b', 'banana (old)');
  await putKey(page, 'fruit:c', 'cherry');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await putKey(page, 'fruit:b', 'banana');
  await putKey(page, 'fruit:a', 'apple');
  await page.getByLabel('Key', { exact: true }).fill('fruit:');
  await openMore(page);
  await page.getByLabel('Scan to').fill('fruit;');
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('3 pairs in key order');
  await openPanel(page, 'Reads');
  const results = page.getByTestId('scan').locator('.scan-results li');
  await expect(results).toHaveText([
    /fruit:a\s+apple\s+memtable/,
    /fruit:b\s+banana\s+memtable/,
    /fruit:c\s+cherry\s+\d{6}\.sst/,
  ]);
  await openPanel(page, 'Reads');
  await expect(page.getByTestId('scan')).toContainText('1 older version and');
});
