// Transactions from the More menu (issue 23, item 1): Begin, then Put goes to the private workspace drawn under the
// memtable (which it does not touch); Commit writes it as one WAL record, marked; a commit whose read was written
// since by another client (Put outside it) is refused, named in the status line and under the memtable; Abort
// drops the workspace.
import { expect, type Page, test } from '@playwright/test';
import { openApp, openMore, putKey } from './helpers';

const memtable = (page: Page) => page.getByRole('region', { name: 'Memtable' });

async function more(page: Page, button: string): Promise<void> {
  await openMore(page);
  await page.getByRole('button', { name: button, exact: true }).click();
}

async function fields(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
}

test('a transaction: its workspace, its one commit record, and a refused commit', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'bob', 'on');
  await more(page, 'Begin transaction');
  await expect(page.getByRole('status')).toContainText('Transaction 1 began at sequence 1');
  const workspace = memtable(page).getByTestId('txn-workspace');
  await expect(workspace).toContainText('Transaction 1');

  await fields(page, 'alice', 'off');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText("kept in transaction 1's workspace");
  await expect(workspace.getByRole('listitem')).toHaveCount(1);
  await expect(workspace).toContainText('alice');
  // The memtable is untouched: only the plain put is there.
  await expect(page.getByTestId('memtable-fill')).toContainText('1 entry');

  await more(page, 'Commit');
  await expect(page.getByRole('status')).toContainText('Transaction 1 committed: 1 write as one WAL record');
  await expect(workspace).toHaveCount(0);
  await expect(page.getByTestId('txn-commit-record')).toHaveText('txn 1');
  await expect(page.getByTestId('memtable-fill')).toContainText('2 entries');

  // A second one reads bob, another client writes bob, and its commit is refused: nothing of it is written.
  await more(page, 'Begin transaction');
  await fields(page, 'bob', '');
  await page.getByRole('button', { name: 'Get', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Transaction 2 read bob = on');
  await expect(workspace.getByTestId('txn-reads')).toHaveText('Read: bob');
  await fields(page, 'carol', 'on');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(workspace).toContainText('carol');
  await fields(page, 'bob', 'off');
  await more(page, 'Put outside it');
  await expect(page.getByRole('status')).toContainText('Put bob = off: acknowledged');
  await more(page, 'Commit');
  await expect(page.getByRole('status')).toContainText("transaction 2 conflicts: key 'bob', which it read");
  await expect(page.getByTestId('txn-conflict')).toContainText('Transaction 2 was refused: bob');
  await expect(workspace).toHaveCount(0);
  await expect(page.getByTestId('memtable-fill')).toContainText('2 entries'); // alice, bob: no carol
  await expect(page.getByTestId('txn-commit-record')).toHaveText('txn 1');

  // Aborted: its workspace goes, nothing is written, and Put writes to the database again.
  await more(page, 'Begin transaction');
  await fields(page, 'dave', 'on');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(workspace).toContainText('dave');
  await more(page, 'Abort');
  await expect(page.getByRole('status')).toContainText('Transaction 3 aborted');
  await expect(workspace).toHaveCount(0);
  await putKey(page, 'erin', 'on');
  await expect(page.getByTestId('memtable-fill')).toContainText('3 entries');
});
