// The crash lab as a class uses it: crash points, power loss, flipped bytes, a second tab, bad input.
// Every crash is real: the page terminates the worker; recovery runs in a new one on the same files.
import { expect, type Page, test } from '@playwright/test';
import { arm, getKey, openApp, openMore, openPanel, putKey, recover } from './helpers';

/** Chooses the first file in the corruption lab whose name ends with `suffix`. */
async function chooseFile(page: Page, suffix: string): Promise<void> {
  await openPanel(page, 'Crash lab');
  const select = page.getByRole('combobox', { name: 'File', exact: true });
  const value = await select.evaluate(
    (element: HTMLSelectElement, end) => [...element.options].find((o) => o.value.endsWith(end))?.value ?? '',
    suffix,
  );
  expect(value).not.toBe('');
  await select.selectOption(value);
}

test('a torn WAL append: the crash point fires mid-record, recovery cuts the torn tail, nothing acknowledged is lost', async ({
  page,
}) => {
  await openApp(page);
  for (const key of ['a', 'b', 'c']) await putKey(page, key, 'safe');
  await arm(page, 'wal-append');
  await page.getByLabel('Key', { exact: true }).fill('torn');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Crash point reached: during the next WAL append');
  await recover(page);
  await expect(page.getByTestId('report')).toContainText(
    'Acknowledged writes before the crash: 3. Found after recovery: 3. Lost: 0.',
  );
  // The status line gives the verdict; the Crash lab the whole account.
  await expect(page.getByTestId('report-details')).toContainText(
    'In doubt (sent, never acknowledged, so either outcome is correct): 1.',
  );
  await expect(page.getByTestId('recovery-actions')).toContainText(/cut a torn tail at byte \d+ of \d{6}\.log/);
  await getKey(page, 'torn');
  await expect(page.getByRole('status')).toContainText('torn: not found');
});

test('a crash after the SSTable but before the manifest edit: recovery deletes the orphan and replays the WAL', async ({
  page,
}) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  await arm(page, 'before-manifest');
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
  for (const key of keys) {
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByLabel('Value', { exact: true }).fill('value');
    await page.getByRole('button', { name: 'Put', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(/acknowledged|Crash point reached/);
    if ((await page.getByTestId('connection').textContent()) === 'crashed') break;
  }
  await expect(page.getByRole('status')).toContainText('after the SSTable, before the manifest edit');
  await recover(page);
  await expect(page.getByTestId('report')).toContainText('Lost: 0.');
  await expect(page.getByTestId('recovery-actions')).toContainText(
    /deleted \d{6}\.sst \(an SSTable no manifest record names/,
  );
});

test('power loss with every write flushed loses nothing acknowledged', async ({ page }) => {
  await openApp(page);
  await openPanel(page, 'Crash lab');
  await page.getByLabel('Power loss').check();
  for (let i = 0; i < 8; i++) await putKey(page, `p${i}`, 'flushed');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Power loss');
  await recover(page);
  await expect(page.getByTestId('report')).toContainText(
    'Acknowledged writes before the power loss: 8. Found after recovery: 8. Lost: 0.',
  );
});

test('a flipped byte in an SSTable is reported with file and offset, never returned as a value', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'victim', 'original value');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  // Byte 20 sits inside the first entry of the first data block.
  await chooseFile(page, '.sst');
  await openPanel(page, 'Crash lab');
  await page.getByRole('spinbutton', { name: 'Byte', exact: true }).fill('20');
  await page.getByRole('button', { name: 'Flip byte' }).click();
  await expect(page.getByRole('status')).toContainText(/Flipped byte 20 of \d{6}\.sst/);
  await getKey(page, 'victim');
  await expect(page.getByRole('status')).toContainText(/\d{6}\.sst is corrupt at byte 0: data block checksum mismatch/);
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText(
    /Corruption found: \d{6}\.sst is corrupt at byte 0: data block checksum mismatch in bytes 0–\d+/,
  );
});

test('a damaged WAL record followed by good ones stops recovery with a clear error, and Reset starts over', async ({
  page,
}) => {
  await openApp(page);
  for (const key of ['w1', 'w2', 'w3']) await putKey(page, key, 'logged');
  await chooseFile(page, '.log');
  await openPanel(page, 'Crash lab');
  await page.getByRole('spinbutton', { name: 'Byte', exact: true }).fill('12');
  await page.getByRole('button', { name: 'Flip byte' }).click();
  await expect(page.getByRole('status')).toContainText('Flipped byte 12');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  const failed = page.getByTestId('failed');
  await expect(failed).toContainText('The database could not be opened');
  await expect(failed).toContainText(/\d{6}\.log is corrupt at byte 0/);
  await expect(failed.getByRole('button', { name: 'Download the files' })).toBeVisible();
  const download = page.waitForEvent('download');
  await failed.getByRole('button', { name: 'Download the files' }).click();
  expect((await download).suggestedFilename()).toBe('lsm-lab.tar');
  await failed.getByRole('button', { name: 'Reset database', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await getKey(page, 'w1');
  await expect(page.getByRole('status')).toContainText('w1: not found');
});

test('a second tab can take the database over: the first closes cleanly and says so', async ({ page, context }) => {
  await openApp(page);
  await putKey(page, 'handed', 'over');
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('locked')).toBeVisible();
  await second.getByRole('button', { name: 'Take over' }).click();
  await expect(page.getByTestId('released')).toContainText('Handed over to another tab');
  await expect(second.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await second.getByLabel('Animation speed').selectOption('instant');
  await getKey(second, 'handed');
  await expect(second.getByRole('status')).toContainText('handed = over');
});

test('a second tab can open a separate database instead', async ({ page, context }) => {
  await openApp(page);
  await putKey(page, 'mine', 'first tab');
  const second = await context.newPage();
  await second.goto('/');
  await second.getByRole('button', { name: 'Open a separate database' }).click();
  await expect(second.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect(second.getByText(/Database lsm-lab-[0-9a-f]+/)).toBeVisible();
  await second.getByLabel('Animation speed').selectOption('instant');
  await getKey(second, 'mine');
  await expect(second.getByRole('status')).toContainText('mine: not found');
});

test('bad input gets a clear message and writes nothing', async ({ page }) => {
  await openApp(page);
  const walSize = page.getByTestId('wal-size');
  await expect(walSize).toHaveText('0 bytes');
  // An empty key cannot be put at all.
  await page.getByLabel('Key', { exact: true }).fill('');
  await expect(page.getByRole('button', { name: 'Put', exact: true })).toBeDisabled();
  // A value over 64 KiB is refused by the engine before anything is written.
  await page.getByLabel('Key', { exact: true }).fill('big');
  await page.getByLabel('Value', { exact: true }).fill('x'.repeat(70_000));
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('value is 70000 bytes; the limit is 65536');
  // A lone surrogate has no UTF-8 encoding. (Playwright's fill() sends text as UTF-8, which already turns it
  // into U+FFFD, so the value is set from page JavaScript, as a paste from another program could.)
  await page.getByLabel('Value', { exact: true }).evaluate((input: HTMLInputElement) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, 'half of a pair: \uD800');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('lone surrogate');
  // Bytes that are not UTF-8, typed as hex, are stored exactly and shown as hex.
  await openMore(page);
  await page.getByLabel('Input as').selectOption('hex');
  await page.getByLabel('Key', { exact: true }).fill('zz');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('is not hex');
  await expect(walSize).toHaveText('0 bytes');
  await page.getByLabel('Key', { exact: true }).fill('00ff80');
  await page.getByLabel('Value', { exact: true }).fill('c3');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Put 0x00ff80 = 0xc3: acknowledged');
  await expect(page.getByTestId('memtable').locator('.entry')).toContainText(['0x00ff80']);
});

test('reloading the page in the middle of a bulk load loses no acknowledged write', async ({ page }) => {
  await openApp(page);
  for (const key of ['before-1', 'before-2', 'before-3']) await putKey(page, key, 'acknowledged');
  await openPanel(page, 'Workload');
  await page.getByRole('spinbutton', { name: 'Operations', exact: true }).fill('20000');
  await page.getByRole('button', { name: 'Run workload' }).click();
  await expect(page.getByTestId('workload-progress')).toContainText(/[1-9][\d,]* of 20,000/);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await openPanel(page, 'Log');
  await expect(page.getByTestId('event-log')).toContainText('Recovered:');
  for (const key of ['before-1', 'before-2', 'before-3']) {
    await getKey(page, key);
    await expect(page.getByRole('status')).toContainText(`${key} = acknowledged`);
  }
});

test('a crash point fired through Flush says so, and its scenario link replays in a fresh browser', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await openApp(page);
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('4096');
  await putKey(page, 'before', 'the crash point');
  await arm(page, 'mid-sstable');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Crash point reached: in the middle of writing an SSTable');
  await recover(page);
  await expect(page.getByTestId('recovery-actions')).toContainText(/deleted \d{6}\.sst/);
  await putKey(page, 'after', 'recovery');
  // Settings changed mid-session are part of the scenario.
  await openPanel(page, 'Settings');
  await page.getByLabel('Memtable limit').selectOption('128');
  await putKey(page, 'last', 'write');
  await openPanel(page, 'Share');
  await page.getByRole('button', { name: 'Link to this scenario' }).click();
  const link = await page.getByTestId('scenario-link').inputValue();

  // A fresh browser profile, one tab: the replay must never lock itself out.
  const fresh = await browser.newContext();
  const viewer = await fresh.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole('status')).toContainText('Replayed a shared scenario', { timeout: 40_000 });
  await expect(viewer.getByTestId('locked')).toHaveCount(0);
  await expect(viewer.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await openPanel(viewer, 'Settings');
  await expect(viewer.getByLabel('Memtable limit')).toHaveValue('128');
  await viewer.getByLabel('Animation speed').selectOption('instant');
  for (const key of ['before', 'after', 'last']) {
    await viewer.getByLabel('Key', { exact: true }).fill(key);
    await viewer.getByRole('button', { name: 'Get', exact: true }).click();
    await expect(viewer.getByRole('status')).toContainText(`${key} =`);
  }
  await fresh.close();
});
