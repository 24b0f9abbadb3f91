// The app as a student drives it, in real Chromium, on real OPFS files.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openMore, openPanel, putKey } from './helpers';

test('a put goes to the WAL, is flushed, and lands in the memtable', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'user:1', 'Ada');

  const wal = page.getByTestId('wal');
  await expect(wal.getByTestId('wal-file')).toHaveText(/^\d{6}\.log$/);
  await expect(wal.locator('.record')).toHaveCount(1);
  await expect(wal.locator('.record')).toContainText('user:1');
  await expect(wal.locator('.record .mark')).toHaveText('✓');
  await expect(wal.getByTestId('wal-size')).toHaveText('34 bytes');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveText([/user:1\s*Ada/]);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Appended put user:1 = Ada to');
});

test('keys stay in bytewise order in the memtable', async ({ page }) => {
  await openApp(page);
  for (const key of ['b', 'a', 'ab', 'B']) await putKey(page, key, 'v');
  await expect(page.getByTestId('memtable').locator('.entry .key')).toHaveText(['B', 'a', 'ab', 'b']);
});

test('reaching the memtable limit writes an SSTable and starts a fresh WAL', async ({ page }) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  const firstWal = await page.getByTestId('wal-file').textContent();
  for (let i = 0; i < 5; i++) await putKey(page, `user:${i}`, 'Grace');

  const table = page.getByTestId('sstable').first();
  await expect(table).toContainText(/\d{6}\.sst/);
  await expect(table).toContainText('user:0 … user:4');
  await expect(table).not.toHaveClass(/uncommitted/);
  await expect(page.getByTestId('wal-file')).toHaveCount(1);
  await expect(page.getByTestId('wal-file')).not.toHaveText(firstWal ?? '');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(0);
  await expect(page.getByTestId('manifest')).toContainText('2 records');

  await getKey(page, 'user:3');
  await expect(page.getByRole('status')).toContainText(/user:3 = Grace: found in \d{6}\.sst/);
});

test('Flush and Insert random work from the keyboard', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Insert random', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('acknowledged');
  await page.getByRole('button', { name: 'Flush', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await page.getByLabel('Key', { exact: true }).fill('user:42');
  await page.getByLabel('Value', { exact: true }).fill('Edsger');
  await page.getByLabel('Value', { exact: true }).press('Enter');
  await expect(page.getByRole('status')).toContainText('Put user:42 = Edsger: acknowledged');
});

test('delete hides a key that lives in an SSTable', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'user:7', 'Alan');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await page.getByLabel('Key', { exact: true }).fill('user:7');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('memtable').locator('.entry.tombstone')).toContainText('user:7');
  await getKey(page, 'user:7');
  await expect(page.getByRole('status')).toContainText('user:7: not found');
});

test('Simulate crash empties memory; Recover replays the WAL and every acknowledged write is back', async ({
  page,
}) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('256');
  const keys = ['user:1', 'user:2', 'user:3', 'user:4', 'user:5', 'user:6', 'user:7', 'user:8', 'user:9', 'user:10'];
  for (const key of keys) await putKey(page, key, `v-${key}`);
  // Entries take 17 bytes + key + value: the 9th put fills 256 bytes and flushes, the 10th stays in memory.
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  const inMemory = 1;
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(inMemory);

  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(0);
  await expect(page.locator('.crash-banner')).toContainText(
    `${inMemory} ${inMemory === 1 ? 'entry' : 'entries'} in memory lost`,
  );
  await expect(page.getByTestId('wal').last().locator('.record')).toHaveCount(inMemory);
  await expect(page.getByRole('button', { name: 'Put', exact: true })).toBeDisabled();

  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toContainText(
    `Acknowledged writes before the crash: ${keys.length}. Found after recovery: ${keys.length}.`,
  );
  await page.getByTestId('report').getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('report-details')).toContainText(`Recovery replayed ${inMemory} WAL`);
  await expect(page.getByTestId('memtable').locator('.entry')).toHaveCount(inMemory);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Replayed put');

  for (const key of keys) {
    await getKey(page, key);
    await expect(page.getByRole('status')).toContainText(`${key} = v-${key}: found in`);
  }
});

test('a page reload reopens the database from OPFS and shows the recovery', async ({ page }) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  for (let i = 0; i < 6; i++) await putKey(page, `k${i}`, 'persisted');
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText(/Opening: found \d+ files/);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Recovered:');
  await expect(page.getByTestId('sstable').first()).toBeVisible();
  for (let i = 0; i < 6; i++) {
    await getKey(page, `k${i}`);
    await expect(page.getByRole('status')).toContainText(`k${i} = persisted: found in`);
  }
});

test('a second tab is told the database is open elsewhere, and can open it once the first is gone', async ({
  page,
  context,
}) => {
  await openApp(page);
  await putKey(page, 'shared', 'one writer');
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('locked')).toContainText('This database is open in another tab');
  await expect(second.getByRole('button', { name: 'Put', exact: true })).toHaveCount(0);

  await page.close();
  await second.getByRole('button', { name: 'Try again' }).click();
  await expect(second.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await second.getByLabel('Animation speed').selectOption('instant');
  await getKey(second, 'shared');
  await expect(second.getByRole('status')).toContainText('shared = one writer');
});

test('Reset database deletes everything', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'gone', 'soon');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await openMore(page);
  await page.getByRole('button', { name: 'Reset database', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Reset: every file deleted');
  await expect(page.getByTestId('sstable')).toHaveCount(0);
  await getKey(page, 'gone');
  await expect(page.getByRole('status')).toContainText('gone: not found');
});

test('Compact runs a full-range compaction: deleted keys and their tombstones disappear from disk', async ({
  page,
}) => {
  await openApp(page);
  for (const key of ['gone:1', 'gone:2', 'gone:3']) await putKey(page, key, 'soon deleted');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  for (const key of ['gone:1', 'gone:2', 'gone:3']) {
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(`Deleted ${key}`);
  }
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(2);
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(
    /Compacted every key down to the last level: .* 6 entries dropped/,
  );
  await expect(page.getByTestId('sstable')).toHaveCount(0);
});
