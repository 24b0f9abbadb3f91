// The class view: the picture owns the screen at a projector's, a laptop's, a tablet's and a phone's size; presenter
// mode keeps every text in the picture at 20 px or more; nothing sticks out sideways; a lesson's reveal waits for
// the animation; the player never falls far behind a class clicking fast.
import { expect, type Page, test } from '@playwright/test';
import { axeClean, openApp, openPanel, putKey } from './helpers';

const PARTS = ['Write-ahead log', 'Memtable', 'SSTables'] as const;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The three parts of the picture, found by their accessible names, as outside checks find them. */
async function parts(page: Page): Promise<Box[]> {
  const boxes: Box[] = [];
  for (const name of PARTS) {
    const box = await page.getByRole('region', { name, exact: true }).boundingBox();
    expect(box, `${name} is drawn`).not.toBeNull();
    boxes.push(box!);
  }
  return boxes;
}

/** The share of the first screen the picture covers: the union box of its three parts, clipped to the screen. */
async function pictureShare(page: Page): Promise<number> {
  const viewport = page.viewportSize()!;
  const boxes = await parts(page);
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)));
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)));
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)));
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)));
  return ((right - left) * (bottom - top)) / (viewport.width * viewport.height);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, 'nothing sticks out past the right edge').toBeLessThanOrEqual(width);
}

/** A small tree: a few flushed SSTables and a memtable with entries, so that every part has something to draw. */
async function fill(page: Page): Promise<void> {
  for (let i = 0; i < 14; i++) await putKey(page, `user:${10 + i}`, `value ${i}`);
  await expect(page.getByTestId('sstable').first()).toBeVisible();
}

for (const [width, height] of [
  [1366, 768],
  [1280, 800],
] as const) {
  test(`at ${width}×${height} the whole picture is on the first screen and covers most of it`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openApp(page);
    await fill(page);
    for (const box of await parts(page)) {
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, 'no scrolling to see it').toBeLessThanOrEqual(height);
    }
    expect(await pictureShare(page)).toBeGreaterThanOrEqual(0.6);
    await noSidewaysScroll(page);
    await axeClean(page, `the lab at ${width}×${height}`);

    // A panel opens beside the picture, not below it: the picture stays whole on the screen.
    await openPanel(page, 'Crash lab');
    const dock = await page.getByTestId('dock').boundingBox();
    const [wal] = await parts(page);
    expect(dock!.x).toBeGreaterThan(wal!.x);
    for (const box of await parts(page)) expect(box.y + box.height).toBeLessThanOrEqual(height);
    await noSidewaysScroll(page);
    await axeClean(page, `the crash lab docked at ${width}×${height}`);
  });
}

test('presenter mode at 1366×768: only the class view, every text in the picture at 20 px or more', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await fill(page);
  await page.getByRole('button', { name: 'Get', exact: true }).click();
  await page.keyboard.press('p');
  await expect(page.locator('.app')).toHaveClass(/presenter/);
  // A slim rail: Lessons only, the one panel presenter mode shows.
  await expect(page.getByRole('navigation', { name: 'Panels' }).getByRole('button')).toHaveText(['Lessons']);
  const smallest = await page.evaluate(() => {
    let min = Number.POSITIVE_INFINITY;
    let where = '';
    for (const element of document.querySelectorAll('.stage *')) {
      const text = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
      if (!text || (element as HTMLElement).offsetParent === null) continue;
      const size = Number.parseFloat(getComputedStyle(element).fontSize);
      if (size < min) {
        min = size;
        where = element.textContent ?? '';
      }
    }
    return { min, where };
  });
  expect(smallest.min, `smallest text: "${smallest.where}"`).toBeGreaterThanOrEqual(20);
  expect(await pictureShare(page)).toBeGreaterThanOrEqual(0.65);
  await noSidewaysScroll(page);
  await axeClean(page, 'presenter mode');
});

test('at 820×1180 (a tablet) all three parts start on the first screen', async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await fill(page);
  for (const box of await parts(page)) expect(box.y).toBeLessThan(1180 - 100);
  await noSidewaysScroll(page);
  await axeClean(page, 'the lab on a tablet');
});

test('at 390×844 (a phone) the picture comes first, the commonest actions sit in a bottom bar, panels are sheets', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await fill(page);
  const [wal, memtable] = await parts(page);
  expect(wal!.y, 'the picture starts near the top').toBeLessThan(200);
  expect(memtable!.y).toBeLessThan(844);
  for (const name of ['Insert random', 'Put', 'Get', 'Simulate crash', 'Recover']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    expect(box!.y + box!.height, `${name} sits in the bottom bar`).toBeLessThanOrEqual(844);
    expect(box!.y, `${name} sits in the bottom bar`).toBeGreaterThan(844 - 90);
  }
  await noSidewaysScroll(page);
  await axeClean(page, 'the lab on a phone');
  await openPanel(page, 'Crash lab');
  const sheet = await page.getByTestId('dock').boundingBox();
  expect(sheet).toEqual({ x: 0, y: 0, width: 390, height: 844 });
  await noSidewaysScroll(page);
  await axeClean(page, 'the crash lab as a sheet');
  await page.getByRole('button', { name: 'Close panel' }).click();
  await expect(page.getByTestId('dock')).toBeHidden();
});

test("a lesson's reveal appears only after the picture has shown the lesson's actions", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('normal');
  await openPanel(page, 'Lessons');
  const lessons = page.getByRole('region', { name: 'Lessons' });
  await lessons.getByRole('button', { name: 'Crash and recovery' }).click();
  const step = lessons.getByTestId('lesson-step');
  for (let guard = 0; guard < 6 && !((await step.textContent()) ?? '').includes('predict, then see'); guard++) {
    const before = /Step \d+ of \d+/.exec((await step.textContent()) ?? '')?.[0] ?? '';
    await step.getByRole('button').click();
    await expect(step).not.toContainText(before, { timeout: 20_000 });
  }
  await step.getByLabel('Yes').check();
  await step.getByRole('button').click();
  // While the crash, the recovery and the read play, the question waits; the reveal comes with the last step.
  await expect(step.getByRole('button', { name: 'Watch the picture…' })).toBeVisible();
  await expect(step.getByTestId('lesson-reveal')).toBeVisible({ timeout: 20_000 });
  const { at, of } = await page.evaluate(() => {
    const match = /step (\d+) of (\d+)/.exec(document.querySelector('[data-testid=position]')?.textContent ?? '');
    return { at: Number(match?.[1]), of: Number(match?.[2]) };
  });
  expect(at).toBe(of);
  // The lesson card sits beside the picture: both on one screen.
  const card = await step.boundingBox();
  expect(card!.y + card!.height).toBeLessThanOrEqual(768);
  for (const box of await parts(page)) expect(box.y + box.height).toBeLessThanOrEqual(768);
  // The reveal is longer than the dock's box: scrolled to its end, the lesson's card still holds all of it (the card
  // once kept the box's height, and the reveal and the buttons under it ran out of it).
  const inside = await page.evaluate(() => {
    const body = document.querySelector('.dock-lessons > .dock-body')!;
    body.scrollTop = body.scrollHeight;
    const panel = body.querySelector('.lessons')!.getBoundingClientRect();
    const last = [...body.querySelectorAll('.lessons button')].at(-1)!.getBoundingClientRect();
    return { scrolled: body.scrollHeight > body.clientHeight, gap: panel.bottom - last.bottom };
  });
  expect(inside.scrolled).toBe(true);
  expect(inside.gap).toBeGreaterThanOrEqual(0);
});

test('ten rapid Insert random clicks at Normal speed: the picture stays about 2 s behind, the status waits for it', async ({
  page,
}) => {
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('normal');
  const insert = page.getByRole('button', { name: 'Insert random', exact: true });
  for (let i = 0; i < 10; i++) {
    await insert.click();
    await page.waitForTimeout(250); // the pace of a class clicking, not a wait for the animation
  }
  // From the tenth click the player skips finished operations: the waiting steps never take more than ~2 s.
  const waiting = await page.evaluate(() => {
    const match = /(\d+) to show/.exec(document.querySelector('[data-testid=position]')?.textContent ?? '');
    return Number(match?.[1] ?? 0);
  });
  // At most ~2 s of steps (6 at 350 ms) beyond the operation being shown; but the newest operation is never
  // skipped, and an insert that fills the memtable is 9 steps of its own (append, flush, insert, and the flush's 6).
  // Without skipping, 30-odd steps would be waiting here.
  expect(waiting, 'steps left to show').toBeLessThanOrEqual(12);
  await expect(page.getByTestId('position')).not.toContainText('to show', { timeout: 5_000 });
  await expect(page.getByRole('status')).toContainText('acknowledged');
  const entries = await page.getByTestId('memtable').locator('.entry').count();
  const flushed = await page.getByTestId('sstable').count();
  expect(entries + flushed, 'every insert is drawn in the end').toBeGreaterThan(0);
});

test('Space toggles the player after a button was clicked with the mouse', async ({ page }) => {
  await openApp(page);
  await putKey(page, 'space', 'bar');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await expect(page.getByTestId('play')).toHaveText('❚❚ Pause');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveText('❚❚ Pause');
});

test('the memtable is drawn as a skip list, and every SSTable is named while the tree holds 16 or fewer', async ({
  page,
}) => {
  await openApp(page);
  for (let i = 0; i < 4; i++) await putKey(page, `tower:${i}`, 'v');
  const memtable = page.getByTestId('memtable');
  await expect(memtable.locator('.skip-head')).toBeVisible();
  // One node per lane a tower stands in: at least one per entry, plus the head's.
  expect(await memtable.locator('.entry:not(.skip-head) .lane.node').count()).toBeGreaterThanOrEqual(4);
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  for (let i = 0; i < 20; i++) await putKey(page, `file:${String(i).padStart(2, '0')}`, 'a value that fills');
  const tables = page.getByRole('region', { name: 'SSTables', exact: true }).getByTestId('sstable');
  const count = await tables.count();
  expect(count).toBeGreaterThan(1);
  expect(count).toBeLessThanOrEqual(16);
  for (let i = 0; i < count; i++) {
    await expect(tables.nth(i)).toBeVisible();
    await expect(tables.nth(i)).toContainText(/\d{6}\.sst/);
    await expect(tables.nth(i).locator('.range')).toContainText('…');
  }
});
