// Compaction filters (issue 23, item 2): a key prefix set in the Settings panel; the next compaction drops the keys
// under it, and the compaction banner counts them apart from overwritten versions and tombstones.
import { expect, test } from '@playwright/test';
import { getKey, openApp, openPanel, putKey } from './helpers';

test('a prefix filter set in the settings drops its keys at the next compaction, and the banner says so', async ({
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
});
