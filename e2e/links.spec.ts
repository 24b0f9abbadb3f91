// Scenario links replay to their end, whatever crashes they hold: a link is made in one browser through the UI, and
// opened in a fresh browser context (its own OPFS, one tab) where the replay must never lock itself out.
import { expect, type Page, test } from '@playwright/test';
import { arm, openApp, openPanel, putKey, recover } from './helpers';

async function chooseKind(page: Page, kind: 'process' | 'power'): Promise<void> {
  await openPanel(page, 'Crash lab');
  await page.getByLabel(kind === 'power' ? 'Power loss' : 'Process crash').check();
}

/** Recover, and the engine open again on disk. */
async function recoverOpen(page: Page): Promise<void> {
  await recover(page);
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
}

/** Presses a button that fires the armed crash point, and waits for the page to say it did. */
async function fire(page: Page, press: () => Promise<void>): Promise<void> {
  await press();
  await expect(page.getByRole('status')).toContainText('Crash point reached');
}

async function shareLink(page: Page): Promise<string> {
  await openPanel(page, 'Share');
  await page.getByRole('button', { name: 'Link to this scenario' }).click();
  return page.getByTestId('scenario-link').inputValue();
}

/** Opens the link in a fresh browser context (its own OPFS, one tab) and waits for the replay's last word. */
async function replay(page: Page, link: string, operations: number): Promise<Page> {
  const fresh = await page.context().browser()!.newContext();
  const viewer = await fresh.newPage();
  await viewer.goto(link);
  // The lock screen carries the message line too: the replay's last word may stand on either.
  await expect(viewer.getByText(`Replayed a shared scenario: ${operations} operations`).first()).toBeVisible({
    timeout: 90_000,
  });
  await expect(viewer.getByTestId('locked')).toHaveCount(0);
  await expect(viewer.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await viewer.getByLabel('Animation speed').selectOption('instant');
  return viewer;
}

/** What Get says for each key, as the status line puts it (the source file's name left out). */
async function reads(page: Page, keys: string[]): Promise<string[]> {
  const said: string[] = [];
  for (const key of keys) {
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Get', exact: true }).click();
    const status = page.getByRole('status');
    await expect(status).toContainText(new RegExp(`${key}( =|: not found)`));
    said.push(((await status.textContent()) ?? '').replace(/ in .*$/, '').replace(/\.$/, ''));
  }
  return said;
}

test('a link made on a lab that already held data replays its crash points, power losses and recoveries to the end', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The class's lab, used earlier in the lesson: three entries wait in its memtable when the page opens. The
  // link holds what was done since, which replays on an empty database: its memtable fills differently.
  await openApp(page);
  for (const key of ['class:1', 'class:2', 'class:3']) await putKey(page, key, 'earlier');
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');

  // The scenario, 16 operations: a crash before the memtable insert fired by a put, Recover, a power
  // loss, Recover, eight puts (the memtable's limit is 256 bytes: here it fills after the fifth, in the replay
  // after the eighth), a power cut armed mid-SSTable and fired by Flush, Recover.
  await arm(page, 'before-memtable', 'process');
  await page.getByLabel('Key', { exact: true }).fill('k0');
  await page.getByLabel('Value', { exact: true }).fill('v');
  await fire(page, () => page.getByRole('button', { name: 'Put', exact: true }).click());
  await recoverOpen(page);
  await chooseKind(page, 'power');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await recoverOpen(page);
  for (let i = 1; i <= 8; i++) await putKey(page, `k${i}`, 'twelve chars');
  await arm(page, 'mid-sstable', 'power');
  await fire(page, () => page.getByRole('button', { name: 'Flush', exact: true }).click());
  await recoverOpen(page);
  const link = await shareLink(page);

  const viewer = await replay(page, link, 16);
  // In the replay the memtable filled after the eighth put, so its Flush had nothing to write and the power cut
  // armed mid-SSTable never came: the replay says so, and crashed the engine where the recording had.
  await expect(viewer.getByRole('status')).toContainText(
    'the crash point armed in the middle of writing an SSTable was not reached in this replay, so Recover (operation 16) crashed the engine first',
  );
  // The end of the story: the last recovery's report, every acknowledged write found.
  await openPanel(viewer, 'Crash lab');
  await expect(viewer.getByTestId('report-details')).toContainText('Lost: 0.');
  expect(await reads(viewer, ['k0', 'k1', 'k8'])).toEqual(await reads(page, ['k0', 'k1', 'k8']));
  await viewer.context().close();
});

test('every crash point, as a process crash and as a power cut, and a disarm: the link replays as recorded', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openApp(page);
  const keys: string[] = [];
  let n = 0;
  const put = async () => {
    const key = `c${++n}`;
    keys.push(key);
    await putKey(page, key, `value ${n}`);
  };
  const press = (name: string) => () => page.getByRole('button', { name, exact: true }).click();
  const putFiring = async () => {
    const key = `c${++n}`;
    keys.push(key);
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByLabel('Value', { exact: true }).fill(`value ${n}`);
    await page.getByRole('button', { name: 'Put', exact: true }).click();
  };
  for (const kind of ['process', 'power'] as const) {
    await put();
    await arm(page, 'wal-append', kind);
    await fire(page, putFiring);
    await recoverOpen(page);
    await arm(page, 'before-memtable', kind);
    await fire(page, putFiring);
    await recoverOpen(page);
    await put();
    await arm(page, 'mid-sstable', kind);
    await fire(page, press('Flush'));
    await recoverOpen(page);
    await put();
    await arm(page, 'before-manifest', kind);
    await fire(page, press('Flush'));
    await recoverOpen(page);
    // Two overlapping SSTables: Compact merges them, and the power goes out (or the process dies) mid-merge.
    await put();
    await page.getByRole('button', { name: 'Flush', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Flushed');
    await put();
    await page.getByRole('button', { name: 'Flush', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Flushed');
    await arm(page, 'mid-compaction', kind);
    await fire(page, press('Compact'));
    await recoverOpen(page);
    // A manual crash of this kind, too.
    await put();
    await chooseKind(page, kind);
    await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
    await recoverOpen(page);
  }
  // Armed, then disarmed: the Flush after it writes its SSTable, in the replay as here.
  await put();
  await arm(page, 'mid-sstable', 'process');
  await page.getByRole('button', { name: 'Disarm' }).click();
  await expect(page.getByTestId('armed')).toHaveText('Not armed.');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Flushed');
  await put();
  const link = await shareLink(page);

  const viewer = await replay(page, link, 55);
  await expect(viewer.getByRole('status')).not.toContainText('Not as recorded');
  await expect(viewer.getByTestId('sstable')).toHaveCount(await page.getByTestId('sstable').count());
  expect(await reads(viewer, keys)).toEqual(await reads(page, keys));
  await viewer.context().close();
});
