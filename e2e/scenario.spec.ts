// Shareable scenarios: what a class did, as a link or a file; opening it replays it on a fresh database.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

test('a scenario link replays the settings and operations on a fresh database', async ({ page, context }) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('512');
  await putKey(page, 'shared:1', 'one');
  await putKey(page, 'shared:2', 'two');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await putKey(page, 'shared:3', 'three');
  await openPanel(page, 'Share');
  await page.getByRole('button', { name: 'Link to this scenario' }).click();
  const link = await page.getByTestId('scenario-link').inputValue();
  expect(link).toMatch(/#scenario=[A-Za-z0-9_-]+$/);

  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole('status')).toContainText('Replayed a shared scenario', { timeout: 20_000 });
  await expect(viewer.getByText('Database lsm-lab-scenario')).toBeVisible();
  await viewer.getByLabel('Animation speed').selectOption('instant');
  await expect(viewer.getByTestId('sstable')).toHaveCount(1);
  await expect(viewer.getByTestId('memtable').locator('.entry')).toHaveText([/shared:3\s*three/]);
  await openPanel(viewer, 'Settings');
  await expect(viewer.getByLabel('Memtable limit')).toHaveValue('512');
  await getKey(viewer, 'shared:1');
  await expect(viewer.getByRole('status')).toContainText('shared:1 = one: found in');
});

test('a scenario file exports and imports, crash and recovery included', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'file:1', 'before the crash');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toContainText('Lost: 0.');
  await openPanel(page, 'Share');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export scenario file' }).click();
  const file = await (await download).path();
  const scenario = JSON.parse(readFileSync(file, 'utf8'));
  expect(scenario.ops.map((o: { op: string }) => o.op)).toEqual(['put', 'crash', 'recover']);

  await page.getByLabel('Import scenario file').setInputFiles(file);
  await expect(page.getByRole('status')).toContainText('Replayed a shared scenario: 3 operations', { timeout: 20_000 });
  // The replay's own message took the status line; the recovery's report is in the Crash lab.
  await openPanel(page, 'Crash lab');
  await expect(page.getByTestId('report-details')).toContainText(
    'Acknowledged writes before the crash: 1. Found after recovery: 1.',
  );
  await getKey(page, 'file:1');
  await expect(page.getByRole('status')).toContainText('file:1 = before the crash');
});

test('a damaged scenario link says so and opens the class database instead', async ({ page }) => {
  await page.goto('/#scenario=not-a-scenario');
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect(page.getByRole('status')).toContainText('This is not an LSM Lab scenario');
});
