// The Performance view: the benchmark's own workloads, run in this browser, plotted. SQLite's WebAssembly build
// is fetched only when the comparison runs, not with the app.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { openApp, openPanel } from './helpers';

test('runs the comparison in the browser and plots every subject, SQLite loaded on demand', async ({
  diskPage: page,
}) => {
  test.setTimeout(180_000);
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url());
  });
  await openApp(page);
  await openPanel(page, 'Performance');
  const panel = page.getByRole('region', { name: 'Performance: this browser, right now' });
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.getByLabel('Include SQLite (downloads about 1 MB when run)')).toBeChecked();
  expect(wasm, 'SQLite is not part of the app download').toEqual([]);

  await panel.getByRole('button', { name: 'Run comparison' }).click();
  await expect(panel.getByRole('button', { name: 'Cancel comparison' })).toBeVisible();
  await expect(panel.getByTestId('perf-status')).toContainText(/Comparison done in \d+\.\d s\./, { timeout: 150_000 });
  expect(wasm.length, 'SQLite fetched when the comparison ran').toBeGreaterThan(0);

  const workloads = panel.getByRole('figure');
  await expect(workloads).toHaveCount(4);
  const expected = [
    ['raw', 'lsm', 'sqlite', 'idb'],
    ['raw', 'lsm', 'sqlite', 'idb'],
    ['raw', 'lsm', 'sqlite', 'idb'],
    ['lsm', 'sqlite'],
  ];
  for (const [i, subjects] of expected.entries()) {
    const rows = workloads.nth(i).locator('tbody tr');
    await expect(rows).toHaveCount(subjects.length);
    for (const [j, subject] of subjects.entries()) {
      const row = rows.nth(j);
      await expect(row).toHaveAttribute('data-subject', subject);
      // A rate like "4.8k/s" (never n/a), and a bar as long as its share of the log scale.
      await expect(row.locator('.perf-rate')).toHaveText(/^\d+(\.\d)?[kM]?\/s$/);
      const width = await row.locator('.perf-bar').evaluate((bar) => bar.getBoundingClientRect().width);
      expect(width, `${subject} bar in workload ${i + 1}`).toBeGreaterThan(1);
    }
  }
  // Batched writes: the point of an LSM tree. Its WriteBatch beats IndexedDB's one-transaction bulk put.
  const batched = workloads.nth(1);
  const rate = async (subject: string) => {
    const text = (await batched.locator(`tr[data-subject="${subject}"] .perf-rate`).textContent()) ?? '';
    const match = /^([\d.]+)([kM]?)\/s$/.exec(text)!;
    return Number(match[1]) * (match[2] === 'M' ? 1e6 : match[2] === 'k' ? 1e3 : 1);
  };
  expect(await rate('lsm')).toBeGreaterThan(await rate('idb'));

  const results = await new AxeBuilder({ page })
    .include('section.performance')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  await panel.screenshot({ path: test.info().outputPath('performance-view.png') });
});
