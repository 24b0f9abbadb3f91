// Every step drawn (issue 11): what the picture shows inside an SSTable during a Get, the skip list's search path,
// a tombstone's hidden version, a compaction's outputs linked to their inputs, the manifest's records read back
// during a recovery, and a half-written SSTable left by a crash point. Each assertion is on the drawn state.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

const flush = async (page: import('@playwright/test').Page, tables: number) => {
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(tables);
};

test('a Get inside an SSTable: bloom bits, the sparse index line chosen, the binary search in the block', async ({
  page,
}) => {
  await openApp(page);
  for (const key of ['apple', 'banana', 'cherry']) await putKey(page, key, `${key} value`);
  await flush(page, 1);

  await getKey(page, 'banana');
  await expect(page.getByRole('status')).toContainText('banana = banana value: found in');
  const probe = page.getByTestId('read-probe');
  await expect(probe).toContainText('in 000004.sst');
  const bloom = probe.getByTestId('probe-bloom');
  await expect(bloom).toContainText('all set: maybe here');
  // A small filter is drawn bit by bit, the probed bits ringed: 64 bits, 7 probes at 10 bits per key.
  await expect(bloom.locator('.bit')).toHaveCount(64);
  await expect(bloom.locator('.bit.probed').first()).toBeAttached();
  await expect(bloom.locator('.bit.probed.miss')).toHaveCount(0);
  await expect(probe.getByTestId('probe-index').locator('.index-line.chosen')).toHaveText('0: apple');
  const search = probe.getByTestId('probe-search');
  await expect(search.locator('.compare-equal')).toContainText('banana =');
  await expect(search.locator('.verdict')).toHaveText('found');
  // The restart point's number hangs under its cell, inside the probe's box, not on or past its border.
  const mark = await search.locator('.restart-mark').first().boundingBox();
  const box = await probe.boundingBox();
  expect(mark!.y + mark!.height, 'the restart mark sits inside the probe').toBeLessThanOrEqual(
    box!.y + box!.height - 2,
  );

  // A Get the memtable answers lights the skip list's search path.
  await putKey(page, 'damson', 'plum');
  await getKey(page, 'damson');
  await expect(page.getByRole('status')).toContainText('damson = plum: found in the memtable');
  await expect(page.getByTestId('memtable').locator('.lane.visited').first()).toBeAttached();
  // Once another operation begins, the picture stops pointing at the last read.
  await putKey(page, 'elder', 'berry');
  await expect(page.getByTestId('read-probe')).toHaveCount(0);
});

test('a Get stopped by a tombstone shows the older version it hides', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'apple', 'red');
  await flush(page, 1);
  await page.getByLabel('Key', { exact: true }).fill('apple');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Deleted apple');
  await getKey(page, 'apple');
  await expect(page.getByTestId('hidden-version')).toContainText(
    'The tombstone in the memtable hides apple = red in 000004.sst',
  );
  await expect(page.getByTestId('sstable').filter({ hasText: '000004.sst' })).toHaveClass(/hidden-holder/);
});

test('a compaction draws its outputs as cards linked to their inputs, and strikes through what it dropped', async ({
  page,
}) => {
  await openApp(page);
  await putKey(page, 'k1', 'old');
  await putKey(page, 'k2', 'doomed');
  await flush(page, 1);
  await putKey(page, 'k1', 'new');
  await page.getByLabel('Key', { exact: true }).fill('k2');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Deleted k2');
  await flush(page, 2);
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Compacted every key down to the last level');
  const output = page.getByTestId('sstable');
  await expect(output).toHaveCount(1);
  await expect(output).toContainText('k1 … k1');
  await expect(output.getByTestId('merged-from')).toHaveText('← merged from 000006.sst + 000004.sst');
  const dropped = page.getByTestId('dropped-versions');
  await expect(dropped.locator('li')).toHaveCount(3);
  await expect(dropped).toContainText('k1 #1 overwritten');
  await expect(dropped.locator('s')).toContainText(['k1 #1']);
});

test('a recovery keeps the WAL and the manifest drawn at every moment, and reads the manifest records back', async ({
  page,
}) => {
  await openApp(page);
  await putKey(page, 'a', '1');
  await flush(page, 1);
  await putKey(page, 'b', '2');
  await flush(page, 2);
  await putKey(page, 'c', '3');
  await expect(page.getByTestId('manifest-record')).toHaveCount(3);
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');

  await page.getByLabel('Animation speed').selectOption('slow');
  // Sampled in the page every 200 ms, from the press of Recover until the durability report appears.
  const sampling = page.evaluate(
    () =>
      new Promise<Array<{ wal: number; manifest: string; records: string[]; status: string }>>((resolve) => {
        const samples: Array<{ wal: number; manifest: string; records: string[]; status: string }> = [];
        const timer = setInterval(() => {
          samples.push({
            wal: document.querySelectorAll('[data-testid="wal"]').length,
            manifest: document.querySelector('[data-testid="manifest"] .file-name')?.textContent ?? '',
            records: [...document.querySelectorAll<HTMLElement>('[data-testid="manifest-record"]')].map(
              (r) => r.dataset.read ?? '',
            ),
            status: document.querySelector('[data-testid="status"]')?.textContent ?? '',
          });
          if (document.querySelector('[data-testid="report"]')) {
            clearInterval(timer);
            resolve(samples);
          }
        }, 200);
      }),
  );
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  const samples = await sampling;
  const report = page.getByTestId('report');
  expect(samples.length, 'a Slow recovery takes several samples').toBeGreaterThan(5);
  for (const [i, s] of samples.entries()) {
    expect(s.wal, `sample ${i}: a WAL is drawn`).toBeGreaterThan(0);
    expect(s.manifest, `sample ${i}: the manifest is drawn`).toBe('MANIFEST-000001');
    expect(s.records, `sample ${i}: its records are drawn`).toHaveLength(3);
  }
  // While the replay is drawn the status line says a recovery is under way, not the crash's "Press Recover".
  const recovering = samples.findIndex((s) => s.status.startsWith('Recovering:'));
  expect(recovering, 'the status says Recovering while the replay is drawn').toBeGreaterThanOrEqual(0);
  // From then on, until the report (the last sample), it says nothing else: not "Press Recover", not a verdict.
  expect(samples.slice(recovering, -1).filter((s) => !s.status.startsWith('Recovering:'))).toEqual([]);
  expect(samples.length - recovering, 'Recovering stays up while the replay is drawn').toBeGreaterThan(3);
  // The records were drawn faint before recovery read them, and each was read back.
  expect(samples.some((s) => s.records.includes('false'))).toBe(true);
  await expect(page.getByTestId('manifest-record')).toHaveCount(3);
  for (const record of await page.getByTestId('manifest-record').all()) {
    await expect(record).toHaveAttribute('data-read', 'true');
  }
  await expect(report).toContainText('Lost: 0');
  // The recovered memtable is drawn as a skip list: its towers are known.
  await expect(page.getByTestId('memtable').locator('.skip-head')).toBeVisible();
});

test('a crash point in the middle of an SSTable leaves a half-written file drawn until recovery deletes it', async ({
  page,
}) => {
  await openApp(page);
  await putKey(page, 'apple', 'red');
  await openPanel(page, 'Crash lab');
  await page.getByLabel('Crash point').selectOption('mid-sstable');
  await page.getByRole('button', { name: 'Arm crash point' }).click();
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Crash point reached: in the middle of writing an SSTable');
  const torn = page.getByTestId('torn-sstable');
  await expect(torn).toContainText('000004.sst');
  await expect(torn).toContainText('Half-written');
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toContainText('Lost: 0');
  await expect(torn).toHaveCount(0);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Deleted 000004.sst');
});
