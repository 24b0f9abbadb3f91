import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Opens the app with animations off (steps applied as they arrive), on an empty database. */
export async function openApp(page: Page, url = '/'): Promise<void> {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(url);
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
}

export async function putKey(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByLabel('Value', { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`Put ${key} = ${value}: acknowledged`);
}

export async function getKey(page: Page, key: string): Promise<void> {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Get', exact: true }).click();
}

/**
 * Opens a panel of the dock beside the picture (Lessons, Reads, Log, Code, Settings, Crash lab, Workload, Files,
 * Share, Twins, Performance) by its rail button, unless it is open already.
 */
export async function openPanel(page: Page, name: string): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

/** Opens the toolbar's More menu (Scan, Input as, Reset database), unless it is open already. */
export async function openMore(page: Page): Promise<void> {
  const menu = page.locator('details.more-menu').first();
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
}

/** Arms a crash point in the Crash lab (as a process crash or a power loss, when `kind` is given). */
export async function arm(page: Page, point: string, kind?: 'process' | 'power'): Promise<void> {
  await openPanel(page, 'Crash lab');
  if (kind) await page.getByLabel(kind === 'power' ? 'Power loss' : 'Process crash').check();
  await page.getByLabel('Crash point').selectOption(point);
  await page.getByRole('button', { name: 'Arm crash point' }).click();
  await expect(page.getByTestId('armed')).toContainText('Armed');
}

/** Presses Recover after a crash and waits for the durability report in the status line. */
export async function recover(page: Page): Promise<void> {
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toBeVisible();
}

/** No WCAG 2 A/AA violation that axe can find on the page as it is now. */
export async function axeClean(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary, `axe violations on ${screen}`).toEqual([]);
}

/** The choice that gives the other verdict: the engine's own where `right` was false, any other where it was true. */
export const opposite = (step: Locator, right: boolean, did: string) =>
  right
    ? step
        .locator('fieldset label')
        .filter({ hasNotText: new RegExp(`^\\s*${did.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
        .first()
        .getByRole('radio')
    : step.getByLabel(did, { exact: true });
