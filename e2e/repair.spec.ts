// Repair in the crash lab: delete the manifest, the open fails on the failed-open screen with the engine's typed
// error, Repair there builds a new manifest from the SSTables and WAL found, and every acknowledged write is back.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

test('Delete the manifest, then Repair from the failed-open screen: every acknowledged write is found', async ({
  page,
}) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
  for (const key of keys) await putKey(page, key, `value of ${key}`);
  await expect(page.getByTestId('sstable').first()).toBeVisible();

  await openPanel(page, 'Crash lab');
  await page.getByRole('button', { name: 'Delete the manifest', exact: true }).click();
  const failed = page.getByTestId('failed');
  await expect(failed).toContainText('data files exist but no manifest could be read');

  await failed.getByRole('button', { name: 'Repair', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(
    /Repaired: \d+ SSTables kept, 0 lost; \d+ WAL records recovered, 0 lost\. Acknowledged writes found: 8 of 8\./,
  );
  await openPanel(page, 'Crash lab');
  await expect(page.getByTestId('repair-report')).toContainText('Lost: 0. WAL records recovered');
  await expect(page.getByTestId('repair-report')).toContainText(/Kept \d{6}\.sst/);
  await getKey(page, 'k3');
  await expect(page.getByRole('status')).toContainText('value of k3');
});

test("The Workload panel shows db.property('stats') as leveldb.stats prints it", async ({ page }) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  for (const key of ['s1', 's2', 's3', 's4', 's5', 's6']) await putKey(page, key, `value of ${key}`);
  await expect(page.getByTestId('sstable').first()).toBeVisible();
  await openPanel(page, 'Workload');
  await page.getByText("db.property('stats'), as LevelDB prints it").click();
  const stats = page.getByTestId('leveldb-stats');
  await expect(stats).toContainText('Level  Files Size(MB) Time(sec) Read(MB) Write(MB)');
  await expect(stats).toContainText(/^\s+0\s+[1-9]\d*\s/m);
});
