// Compaction filters (issue 23, item 2): a key prefix and a TTL set in the Settings panel; the next compaction drops
// the keys under the prefix and the values older than the TTL (the engine's clock moved past it), and the compaction
// banner counts them apart from overwritten versions and tombstones.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

test('prefix and TTL filters set in the settings drop their values at the next compaction; the banner says so', async ({
  page,
}) => {
  await openApp(page);
  await openPanel(page, 'Settings');
  await expect(page.getByLabel('Filter: expire values after')).toHaveValue('0');
  const prefixes = page.getByLabel('Filter: drop keys starting with');
  await prefixes.fill('tmp:, cache:');
  await prefixes.press('Enter');
  await putKey(page, 'user:1', 'kept');
  await putKey(page, 'tmp:1', 'a');
  await putKey(page, 'tmp:2', 'b');
  await putKey(page, 'user:1', 'again');
  // Before any compaction the value is still read: filters act at compaction only.
  await getKey(page, 'tmp:1');
  await expect(page.getByRole('status')).toContainText('tmp:1 = a');

  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByTestId('compaction-filtered')).toContainText(
    'Filtered out: 2 values under a filtered key prefix',
  );
  await expect(page.getByTestId('filtered-versions')).toContainText('tmp:1');
  await getKey(page, 'tmp:1');
  await expect(page.getByRole('status')).toContainText('tmp:1');
  await expect(page.getByRole('status')).not.toContainText('tmp:1 = a');
  await getKey(page, 'user:1');
  await expect(page.getByRole('status')).toContainText('user:1 = again');
  // The prefixes stay in the field as the settings hold them.
  await expect(prefixes).toHaveValue('tmp:, cache:');

  // A TTL: a value written, the engine's clock moved past the TTL, another written; the compaction expires the first.
  await page.getByLabel('Filter: expire values after').selectOption('10000');
  await putKey(page, 'ttl:old', 'o');
  await page.getByRole('button', { name: 'Move the clock 10 s ahead' }).click();
  await expect(page.getByRole('status')).toContainText("The engine's clock moved 10 s ahead");
  await putKey(page, 'ttl:new', 'n');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  // compactRange's steps each draw the banner in turn; its status line counts them all.
  await expect(page.getByRole('status')).toContainText('1 value filtered');
  await getKey(page, 'ttl:old');
  await expect(page.getByRole('status')).toContainText('ttl:old');
  await expect(page.getByRole('status')).not.toContainText('ttl:old = o');
  await getKey(page, 'ttl:new');
  await expect(page.getByRole('status')).toContainText('ttl:new = n');
});
