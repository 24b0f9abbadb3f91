// The UI in Spanish (issue 25, item 1): `?lang=es` opens it in Spanish, the language menu switches it, the choice
// survives a reload, links the lab makes carry the language, and the Spanish page passes axe as the English one does.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('the lab in Spanish, switched to English and kept', async ({ page }) => {
  // Two reloads and an axe run of the whole page: more than the default 30 s on a busy two-core machine.
  test.setTimeout(120_000);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/?lang=es');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByTestId('connection')).toHaveText('En disco (OPFS)');
  await page.getByLabel('Animación: Velocidad').selectOption('instant');

  // The main screen: the toolbar, the picture's panels, and a message said by the store.
  await expect(page.getByRole('button', { name: 'Insertar al azar', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Registro de escritura anticipada/ })).toBeVisible();
  await page.getByLabel('Clave', { exact: true }).fill('user:1');
  await page.getByLabel('Valor', { exact: true }).fill('Ada');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Put user:1 = Ada: confirmado (duradero en el WAL).');
  await expect(page.getByTestId('memtable-fill')).toContainText('1 entrada');

  // A panel: Settings, with the language menu in it.
  const rail = page.getByRole('navigation', { name: 'Paneles' });
  await rail.getByRole('button', { name: 'Ajustes', exact: true }).click();
  await expect(page.getByText('Ajustes del motor')).toBeVisible();
  await expect(page.getByLabel('Límite de la memtable')).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const summary = axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary, 'axe violations in Spanish').toEqual([]);

  // The status line said before the switch follows it: it is kept as words to say, not as Spanish text.
  await page.getByTestId('language-menu').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Insert random', exact: true })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Put user:1 = Ada: acknowledged (durable in the WAL).');
  // The address drops `lang=es`, so that a reload does not bring Spanish back.
  await expect(page).not.toHaveURL(/lang=/);

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Insert random', exact: true })).toBeVisible();

  // And back to Spanish from the compact menu in the toolbar's More menu.
  await page.locator('details.more-menu').first().locator('summary').click();
  await page.getByTestId('language-menu-compact').selectOption('es');
  await expect(page.getByRole('button', { name: 'Insertar al azar', exact: true })).toBeVisible();
  await expect(page).toHaveURL(/[?&]lang=es/);

  // A share link carries the language.
  await page.locator('details.more-menu').first().locator('summary').click();
  await page
    .getByRole('navigation', { name: 'Paneles' })
    .getByRole('button', { name: 'Compartir', exact: true })
    .click();
  await page.getByRole('button', { name: 'Enlace a este escenario' }).click();
  await expect(page.getByTestId('scenario-link')).toHaveValue(/[?&]lang=es(&|#)/);
});

test('the hex view speaks the language: its own messages load with it, and follow a switch', async ({ page }) => {
  // `fields` (what each byte is) is a namespace of its own, loaded with the hex view's chunk, not in the initial JS.
  await page.goto('/?lang=es');
  await expect(page.getByTestId('connection')).toHaveText('En disco (OPFS)');
  await page.getByLabel('Animación: Velocidad').selectOption('instant');
  await page.getByLabel('Clave', { exact: true }).fill('user:1');
  await page.getByLabel('Valor', { exact: true }).fill('Ada');
  await page.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Put user:1 = Ada: confirmado');
  const wal = (await page.getByTestId('wal-file').textContent()) ?? '';
  await page
    .getByRole('navigation', { name: 'Paneles' })
    .getByRole('button', { name: 'Archivos', exact: true })
    .click();
  await page.getByLabel('Examinar fichero').selectOption(wal);
  const fields = page.locator('.hex-inspector').getByTestId('hex-fields').locator('li');
  await expect(fields).toHaveCount(8);
  await expect(fields.first()).toContainText('suma de comprobación (CRC32C) del registro 0');
  await expect(fields.nth(5)).toContainText('clave: user:1');
  // No message key shown in place of its words.
  expect(await fields.allTextContents()).not.toContainEqual(expect.stringMatching(/fields:|\b(log|entry)\.\w/));

  // Switched from the toolbar's More menu: the Files panel stays open, and its fields are said again in English.
  await page.locator('details.more-menu').first().locator('summary').click();
  await page.getByTestId('language-menu-compact').selectOption('en');
  await expect(fields.first()).toContainText('checksum (CRC32C) of record 0');
  await expect(fields.nth(5)).toContainText('key of record 0: user:1');
});
