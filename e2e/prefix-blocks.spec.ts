// Prefix-compressed data blocks in the app (issue 23, item 3): a Get inside an SSTable draws the binary search over
// the block's restart points, then the one run it scanned; the hex inspector names the bytes a key shares with the
// key before, the ones it stores, and the restart array.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

test('a Get searches the restart points, then scans one run; the hex inspector labels shared bytes and restarts', async ({
  page,
}) => {
  await openApp(page);
  for (let i = 0; i < 8; i++) await putKey(page, `user:0${i}`, `v${i}`);
  // user:01 pressed in the memtable: the inspector will light its places in the table.
  await openPanel(page, 'Files');
  const pressed = page.getByTestId('memtable').getByRole('button', { name: 'user:01' });
  await pressed.click();
  await expect(pressed).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  const picker = page.getByLabel('Inspect file');
  const table = (await picker.locator('option[value$=".sst"]').getAttribute('value')) ?? '';
  await picker.selectOption(table);
  const inspector = page.locator('.hex-inspector');
  // Stored as its one unshared byte ("1": "user:0" comes from user:00), and nowhere else in the file.
  await expect(inspector.locator('.hex-byte.highlight')).toHaveCount(1);
  await expect(inspector.locator('.hex-char.highlight')).toHaveText(['1']);

  await getKey(page, 'user:06');
  await expect(page.getByRole('status')).toContainText('user:06 = v6: found in');
  const search = page.getByTestId('read-probe').getByTestId('probe-search');
  // The lab stores every 4th key whole: restart points R0 (entry 0) and R1 (entry 4).
  await expect(search).toContainText('binary search over 2 restart points');
  await expect(search.locator('.restart-mark')).toHaveText(['R0', 'R1']);
  // The binary search compared R1 (user:04 < user:06), then the scan of its run compared entries 5 and 6.
  await expect(search.locator('[data-probe-kind="restart"]')).toHaveAttribute('data-entry', '4');
  await expect(search.locator('[data-probe-kind="run"]')).toHaveCount(2);
  await expect(search.locator('[data-run="true"]')).toHaveCount(3);
  await expect(search.locator('.block-entry.found')).toHaveAttribute('data-entry', '6');
  await expect(search.locator('.verdict')).toHaveText('found');

  await expect(inspector.getByTestId('hex-about')).toContainText(`${table}, an SSTable:`);
  const fields = inspector.getByTestId('hex-fields').locator('li');
  await expect(fields.filter({ hasText: 'format version: 2 (prefix-compressed data blocks' })).toHaveCount(1);
  await expect(fields.filter({ hasText: 'key of entry 4 (restart point 1), stored whole: user:04' })).toHaveCount(1);
  await expect(
    fields.filter({ hasText: 'key of entry 5: user:05, its first 6 bytes (user:0) from the key before' }),
  ).toHaveCount(1);
  await expect(fields.filter({ hasText: 'key bytes of entry 5 shared with the key before: 6' })).toHaveCount(1);
  await expect(fields.filter({ hasText: /restart point 1: the entry at byte \d+ of data block 0's body/ })).toHaveCount(
    1,
  );
  await expect(fields.filter({ hasText: 'restart points in data block 0: 2' })).toHaveCount(1);
  await expect(inspector.locator('.hex-legend li').filter({ hasText: 'restart point offset' })).toHaveCount(1);
  await expect(inspector.locator('.hex-problems')).toHaveCount(0);
});

test("a Get's steps on an SSTable card each fit the card's one line, through the restart search", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  for (let i = 0; i < 8; i++) await putKey(page, `user:0${i}`, `v${i}`);
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await getKey(page, 'user:06');
  await expect(page.getByRole('status')).toContainText('user:06 = v6: found in');
  // Back to where the Get began, then a step at a time: the card tells every sub-step, each on one line.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  const range = page.getByLabel('Timeline position');
  const max = Number(await range.getAttribute('max'));
  const card = page.getByTestId('sstable');
  const said: string[] = [];
  for (let back = 12; back >= 0; back--) {
    await range.fill(String(max - back));
    const step = card.locator('.read-step');
    if ((await step.count()) === 0) continue;
    // The text's line boxes, by their tops: one line, one top.
    const { text, lines } = await step.evaluate((e) => {
      const contents = document.createRange();
      contents.selectNodeContents(e);
      return {
        text: e.textContent ?? '',
        lines: new Set([...contents.getClientRects()].map((box) => Math.round(box.top))).size,
      };
    });
    said.push(text);
    expect(lines, `"${text}" on the card`).toBe(1);
  }
  expect(said).toContain('restarts: 1, run: 2…');
  expect(said.at(-1)).toBe('block 0: found');
});
