// The hex inspector on real OPFS files: a WAL record's fields labelled byte by byte, the file followed as it grows,
// a key pressed in the memtable highlighted in the bytes, an SSTable's blocks, footer and trailer, the manifest's
// version edits; keyboard operable, and no WCAG 2 A/AA violation.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openApp, openPanel, putKey } from './helpers';

test('the hex inspector names every byte of a WAL record, follows the WAL, highlights a pressed key, and shows an SSTable and the manifest', async ({
  page,
}) => {
  await openApp(page);
  await putKey(page, 'user:1', 'Ada');
  const wal = (await page.getByTestId('wal-file').textContent()) ?? '';
  const inspector = page.locator('.hex-inspector');
  await openPanel(page, 'Files');
  const picker = page.getByLabel('Inspect file');

  await picker.selectOption(wal);
  await expect(inspector.getByTestId('hex-about')).toContainText(`${wal}, a write-ahead log: 34 bytes on storage.`);
  const fields = inspector.getByTestId('hex-fields').locator('li');
  await expect(fields).toHaveText([
    /^0–3 record 0 checksum \(CRC32C\) of record 0: 0x[0-9a-f]{8}, matches/,
    /^4–7 record 0 payload length of record 0: 26 bytes$/,
    /^8 record 0 op of record 0: put \(1\)$/,
    /^9–16 record 0 sequence number of record 0: 1$/,
    /^17–20 record 0 key length of record 0: 6 bytes$/,
    /^21–26 record 0 key of record 0: user:1$/,
    /^27–30 record 0 value length of record 0: 3 bytes$/,
    /^31–33 record 0 value of record 0: Ada$/,
  ]);
  await expect(inspector.locator('.hex-byte')).toHaveCount(34);
  await expect(inspector.locator('.hex-legend li')).toHaveText([
    'checksum (CRC32C)',
    'length',
    'op (put / delete / batch)',
    'sequence number',
    'key length',
    'key',
    'value length',
    'value',
  ]);

  // Pointing at a byte names its field; the arrows move byte by byte.
  const caption = inspector.getByTestId('hex-caption');
  await inspector.locator('.hex-byte[data-offset="23"]').hover();
  await expect(caption).toHaveText('bytes 21–26 (6 bytes) · record 0 · key of record 0: user:1');
  await inspector.locator('.hex-byte[data-offset="8"]').click();
  await expect(caption).toHaveText('byte 8 · record 0 · op of record 0: put (1)');
  await page.keyboard.press('ArrowRight');
  await expect(inspector.locator('.hex-byte[data-offset="9"]')).toBeFocused();
  await expect(caption).toContainText('sequence number of record 0: 1');
  await page.keyboard.press('ArrowDown');
  await expect(inspector.locator('.hex-byte[data-offset="25"]')).toBeFocused();
  await expect(caption).toContainText('key of record 0: user:1');

  // The WAL grows: the inspector reads it again.
  await putKey(page, 'user:2', 'Bob');
  await expect(inspector.getByTestId('hex-about')).toContainText('68 bytes on storage.');
  await expect(fields).toHaveCount(16);
  await expect(fields.nth(13)).toHaveText(/key of record 1: user:2$/);

  // A key pressed in the memtable: its bytes light up, in the hex and in the text column.
  const memtableKey = page.getByTestId('memtable').getByRole('button', { name: 'user:1' });
  await memtableKey.click();
  await expect(memtableKey).toHaveAttribute('aria-pressed', 'true');
  await expect(inspector.locator('.hex-byte.highlight')).toHaveCount(6);
  await expect(inspector.locator('.hex-byte.highlight').first()).toHaveAttribute('data-offset', '21');
  await expect(inspector.locator('.hex-char.highlight')).toHaveText(['u', 's', 'e', 'r', ':', '1']);
  await expect(inspector.locator('.hex-key')).toContainText('1 place in this file, from byte 21.');
  // …and one pressed in the WAL panel, from the keyboard.
  await page.getByTestId('wal').getByRole('button', { name: 'user:2' }).focus();
  await page.keyboard.press('Enter');
  await expect(inspector.locator('.hex-byte.highlight').first()).toHaveAttribute('data-offset', '55');
  await expect(memtableKey).toHaveAttribute('aria-pressed', 'false');

  const axe = await new AxeBuilder({ page })
    .include('.hex-inspector')
    .include('[data-testid="memtable"]')
    .include('[data-testid="wal"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);

  // Flush: the old WAL is gone, an SSTable holds the keys.
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await expect(inspector.getByTestId('hex-about')).toContainText('no longer live');
  const table = (await picker.locator('option[value$=".sst"]').getAttribute('value')) ?? '';
  expect(table).toMatch(/^\d{6}\.sst$/);
  await picker.selectOption(table);
  await expect(inspector.getByTestId('hex-about')).toContainText(`${table}, an SSTable:`);
  const groups = inspector.getByTestId('hex-fields').locator('.hex-group');
  await expect(groups.first()).toHaveText('data block 0');
  for (const group of ['index block', 'filter block', 'footer', 'trailer']) {
    await expect(groups.filter({ hasText: new RegExp(`^${group}$`) }).first()).toBeVisible();
  }
  await expect(fields.filter({ hasText: 'first key of data block 0: user:1' })).toHaveCount(1);
  await expect(fields.filter({ hasText: 'bloom probes per key (k): 7' })).toHaveCount(1);
  await expect(fields.last()).toHaveText(/trailer magic "LSMT"/);
  // user:2 is in the data block (its one unshared byte: "user:" comes from user:1), and is the footer's largest key.
  await expect(inspector.locator('.hex-byte.highlight')).toHaveCount(7);

  const manifest = (await picker.locator('option[value^="MANIFEST-"]').getAttribute('value')) ?? '';
  await picker.selectOption(manifest);
  await expect(inspector.getByTestId('hex-about')).toContainText(`${manifest}, the manifest:`);
  await expect(fields.filter({ hasText: /^\d+–\d+ record 1 log number: \d+/ })).toHaveCount(1);
  await expect(
    fields.filter({ hasText: `file number of added table 0: ${Number(table.slice(0, 6))} (${table})` }),
  ).toHaveCount(1);
  await expect(fields.filter({ hasText: 'largest key of added table 0: user:2' })).toHaveCount(1);
  await expect(inspector.locator('.hex-problems')).toHaveCount(0);
});

test('after a torn WAL append, the inspector reads the WAL straight from OPFS and shows the torn tail recovery cuts off', async ({
  page,
}) => {
  await openApp(page);
  for (const key of ['a', 'b', 'c']) await putKey(page, key, 'safe');
  const wal = (await page.getByTestId('wal-file').textContent()) ?? '';
  await openPanel(page, 'Files');
  const picker = page.getByLabel('Inspect file');
  await picker.selectOption(wal);
  const inspector = page.locator('.hex-inspector');
  // Three records of 8 + 17 + 1 + 4 bytes.
  await expect(inspector.getByTestId('hex-about')).toContainText('90 bytes on storage.');

  await openPanel(page, 'Crash lab');
  await page.getByLabel('Crash point').selectOption('wal-append');
  await page.getByRole('button', { name: 'Arm crash point' }).click();
  await expect(page.getByTestId('armed')).toContainText('Armed');
  await page.getByLabel('Key', { exact: true }).fill('torn');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');

  const fields = inspector.getByTestId('hex-fields').locator('li');
  await expect(fields.last()).toHaveText(/^90–\d+ record 3 torn tail at byte 90: record 3 is incomplete/);
  await expect(inspector.locator('.hex-byte.kind-torn').first()).toHaveAttribute('data-offset', '90');
  await expect(inspector.locator('.hex-problems')).toContainText('1 range looks wrong: the first at byte 90.');

  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toBeVisible();
  await expect(inspector.getByTestId('hex-about')).toContainText('90 bytes on storage.');
  await expect(inspector.locator('.hex-byte.kind-torn')).toHaveCount(0);
});
