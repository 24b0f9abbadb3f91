// A teacher's walk through the class view (issue 20): what broke in a live class, each kept fixed by the geometry or
// the sequence a person would see. Panels never pile up in the dock; nothing floats over the picture; at Slow every
// step is shown; the caption and the status are never cut; nothing above the picture changes height while it
// animates; presenter mode keeps values whole and a way to the lessons; the embed and the phone show their words
// whole; a first visit says what this is; the Workload panel never runs ahead of the picture.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { getKey, openApp, openMore, openPanel, putKey } from './helpers';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  expect(found, 'drawn').not.toBeNull();
  return found!;
}

/** Where each of the caption row's boxes cuts its text: [] when every word shows. */
async function clippedCaption(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.caption-row > *')]
      .filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.dataset.testid}: "${e.textContent}" (${e.scrollHeight} > ${e.clientHeight})`),
  );
}

/** Texts in the picture cut by their box (an ellipsis, or a parent that hides what sticks out). */
async function clippedInPicture(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>('.stage *')) {
      const style = getComputedStyle(e);
      if (style.overflowX === 'visible' || style.display === 'none' || e.childElementCount > 0) continue;
      if (!e.textContent?.trim()) continue;
      if (e.scrollWidth > e.clientWidth + 1) cut.push(`${e.className}: "${e.textContent}"`);
    }
    // A text node's box clipped by an ancestor that hides overflow (the memtable's fill line did this).
    for (const e of document.querySelectorAll<HTMLElement>('.stage .fill, .stage .file-head')) {
      if (e.scrollWidth > e.clientWidth + 1) cut.push(`${e.className}: "${e.textContent}"`);
    }
    return cut;
  });
}

/** Plays the whole timeline back, a step at a time from the start, and calls `check` at each step. */
async function everyStep(page: Page, check: (step: number) => Promise<void>): Promise<number> {
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  const range = page.getByLabel('Timeline position');
  const min = Number(await range.getAttribute('min'));
  const max = Number(await range.getAttribute('max'));
  await range.fill(String(min));
  for (let step = min; step < max; step++) {
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect(page.getByTestId('position')).toContainText(`step ${step + 1} of`);
    await check(step + 1);
  }
  return max - min;
}

/** A run with a bit of everything a caption says: writes that flush, a get through SSTables, a compaction, a crash. */
async function lesson(page: Page): Promise<void> {
  for (let i = 0; i < 12; i++) await putKey(page, `user:${100 + i}`, `a rather long value ${i}`);
  await getKey(page, 'user:100');
  await expect(page.getByRole('status')).toContainText('user:100');
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Compacted|Nothing to compact/);
  await page.getByRole('button', { name: 'Simulate crash' }).click();
  await page.getByRole('button', { name: 'Recover' }).click();
  await expect(page.getByTestId('report')).toContainText('Lost: 0.');
}

test('one dock panel at a time: Crash lab pressed after Lessons shows Crash lab alone, at the top', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  await openPanel(page, 'Lessons');
  await expect(page.getByRole('heading', { name: 'Lessons', exact: true })).toBeVisible();
  await openPanel(page, 'Crash lab');
  const dock = page.getByTestId('dock');
  await expect(dock.locator('.dock-body:visible')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Lessons', exact: true })).toBeHidden();
  const heading = await box(page.getByRole('heading', { name: 'Crash lab', exact: true }));
  const top = await box(dock);
  expect(heading.y - top.y, 'the pressed panel opens at the top of the dock').toBeLessThan(40);
  // Back to Lessons: the crash lab goes, the lesson keeps its place.
  await openPanel(page, 'Lessons');
  await expect(page.getByRole('heading', { name: 'Crash lab', exact: true })).toBeHidden();
  await expect(dock.locator('.dock-body:visible')).toHaveCount(1);
});

test('the durability report sits in the status line, not over the picture, and gives way to the next message', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  for (let i = 0; i < 6; i++) await putKey(page, `user:${i}`, `v${i}`);
  await page.getByRole('button', { name: 'Simulate crash' }).click();
  await page.getByRole('button', { name: 'Recover' }).click();
  const report = page.getByTestId('report');
  await expect(report).toContainText('Acknowledged writes before the crash: 6. Found after recovery: 6. Lost: 0.');
  const verdict = await box(report);
  for (const name of ['Write-ahead log', 'Memtable', 'SSTables']) {
    const part = await box(page.getByRole('region', { name, exact: true }));
    expect(overlap(verdict, part), `the report leaves ${name} uncovered`).toBe(false);
  }
  expect(await clippedCaption(page)).toEqual([]);
  // Its details are one press away, in the Crash lab.
  await report.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('report-details')).toContainText('In doubt');
  await expect(page.getByTestId('recovery-actions')).toContainText('Recovery replayed');
  // The next operation's message takes the status line back.
  await putKey(page, 'user:after', 'x');
  await expect(report).toHaveCount(0);
});

test('Recover pressed before the crash is drawn: the crash, then "Recovering", then the report, each in its turn', async ({
  page,
}) => {
  await openApp(page);
  await putKey(page, 'user:1', 'v1');
  // Paused: every step from here on waits for Step, so the engine runs ahead of the picture.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  await page.getByRole('button', { name: 'Simulate crash' }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await page.getByRole('button', { name: 'Recover' }).click();
  const report = page.getByTestId('report');
  const position = page.getByTestId('position');
  const step = page.getByRole('button', { name: 'Step forward' });
  /** What the status line says, or 'report' once the report has taken its place: read at once, in the page. */
  const read = () =>
    page.evaluate(() =>
      document.querySelector('[data-testid="report"]')
        ? 'report'
        : (document.querySelector('[data-testid="status"]')?.textContent ?? ''),
    );
  const seen = [await read()];
  for (let i = 0; i < 200 && seen.at(-1) !== 'report'; i++) {
    // Recovery's events (and the report after them) may still be arriving: wait for the next step, or the report.
    await expect.poll(async () => (await read()) === 'report' || (await step.isEnabled())).toBe(true);
    if ((await read()) === 'report') {
      seen.push('report');
      break;
    }
    const before = await position.textContent();
    await step.click();
    await expect(position).not.toHaveText(before ?? '');
    seen.push(await read());
  }
  const said = seen.map((text) =>
    text === 'report'
      ? 'report'
      : text.startsWith('Crashed:')
        ? 'crashed'
        : text.startsWith('Recovering:')
          ? 'recovering'
          : text,
  );
  // In order, none skipped: the crash while it is drawn, "Recovering" while the replay is drawn, then the report.
  expect(said.filter((s, i) => s !== said[i - 1])).toEqual(['crashed', 'recovering', 'report']);
  await expect(report).toContainText('Lost: 0');
});

test('at Slow speed a Compact shows every step, its own flush included', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await putKey(page, 'a', '1');
  await page.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
  await putKey(page, 'b', '2');
  await page.getByLabel('Animation speed').selectOption('slow');
  // Every position and caption the player shows, as the page sees them.
  await page.evaluate(() => {
    const seen: string[] = [];
    const captions: string[] = [];
    (window as unknown as { seen: string[]; captions: string[] }).seen = seen;
    (window as unknown as { seen: string[]; captions: string[] }).captions = captions;
    const position = document.querySelector('[data-testid=position]')!;
    const now = document.querySelector('[data-testid=now]')!;
    new MutationObserver(() => seen.push(position.textContent ?? '')).observe(position, {
      subtree: true,
      characterData: true,
      childList: true,
    });
    new MutationObserver(() => captions.push(now.textContent ?? '')).observe(now, {
      subtree: true,
      characterData: true,
      childList: true,
    });
  });
  const start = Number(/step (\d+)/.exec((await page.getByTestId('position').textContent()) ?? '')![1]);
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Compacted', { timeout: 100_000 });
  const { seen, captions } = await page.evaluate(() => {
    const { seen, captions } = window as unknown as { seen: string[]; captions: string[] };
    return { seen, captions };
  });
  const steps = [...new Set(seen.map((t) => Number(/step (\d+)/.exec(t)?.[1])))].filter((n) => n > start);
  const end = Math.max(...steps);
  expect(end - start, 'a flush and a compaction are many steps').toBeGreaterThan(10);
  expect(steps, 'every step from the first to the last, none jumped over').toEqual(
    Array.from({ length: end - start }, (_, i) => start + 1 + i),
  );
  const flushRequested = captions.findIndex((c) => c.startsWith('Flush requested'));
  const flushDone = captions.findIndex((c) => c.startsWith('Flush done'));
  expect(flushRequested).toBeGreaterThanOrEqual(0);
  expect(flushDone - flushRequested, 'the flush is shown step by step').toBeGreaterThan(2);
  expect(captions.findIndex((c) => c.startsWith('Compaction ('))).toBeGreaterThan(flushDone);
});

for (const [width, height, url] of [
  [1366, 768, '/'],
  [820, 1180, '/'],
  [800, 450, '/?embed&db=walk'],
] as const) {
  test(`at ${width}×${height}${url.includes('embed') ? ' (embed)' : ''} the caption and status are never cut, at any step`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height });
    page.on('dialog', (dialog) => void dialog.accept());
    // The embed has no player: its steps are checked as they come, at Normal speed; the lab's are replayed.
    await page.goto(url);
    await expect(page.getByRole('button', { name: 'Put', exact: true })).toBeEnabled();
    if (url.includes('embed')) {
      await expect(page.getByLabel('Value', { exact: true })).toBeVisible();
      const cuts: string[] = [];
      const watch = async () => cuts.push(...(await clippedCaption(page)), ...(await clippedInPicture(page)));
      for (let i = 0; i < 14; i++) {
        await page.getByLabel('Key', { exact: true }).fill(`user:${100 + i}`);
        await page.getByLabel('Value', { exact: true }).fill(`Margaret ${i}`);
        await page.getByRole('button', { name: 'Put', exact: true }).click();
        await expect(page.getByRole('status')).toContainText(`Put user:${100 + i} = Margaret ${i}: acknowledged`);
        await watch();
      }
      await page.getByRole('button', { name: 'Get', exact: true }).click();
      await expect(page.getByRole('status')).toContainText('user:113 = Margaret 13: found');
      await watch();
      await page.getByRole('button', { name: 'Simulate crash' }).click();
      await watch();
      await page.getByRole('button', { name: 'Recover' }).click();
      await expect(page.getByTestId('report')).toContainText('Lost: 0.');
      await watch();
      expect(cuts).toEqual([]);
      return;
    }
    await page.getByLabel('Animation speed').selectOption('instant');
    await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
    await lesson(page);
    expect(await clippedCaption(page)).toEqual([]);
    const cuts: string[] = [];
    const steps = await everyStep(page, async () => {
      cuts.push(...(await clippedCaption(page)));
    });
    expect(steps).toBeGreaterThan(60);
    expect(cuts).toEqual([]);
  });
}

test('presenter mode: nothing above the picture changes height while it animates, values are whole, Lessons stays a press away', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  await page.getByLabel('Presenter mode').check();
  await page.getByLabel('Animation speed').selectOption('normal');
  // The top of the picture, sampled every frame while three inserts play.
  await page.evaluate(() => {
    const tops: number[] = [];
    (window as unknown as { tops: number[] }).tops = tops;
    const stage = document.querySelector('.stage')!;
    const sample = () => {
      tops.push(Math.round(stage.getBoundingClientRect().top));
      requestAnimationFrame(sample);
    };
    sample();
  });
  for (let i = 0; i < 3; i++) {
    await page.getByLabel('Key', { exact: true }).fill(`user:${300 + i}`);
    await page.getByLabel('Value', { exact: true }).fill(`Alexander ${i}`);
    await page.getByRole('button', { name: 'Put', exact: true }).click();
  }
  await expect(page.getByTestId('position')).toContainText('to show');
  await expect(page.getByTestId('position')).not.toContainText('to show', { timeout: 15_000 });
  const tops = await page.evaluate(() => (window as unknown as { tops: number[] }).tops);
  expect(tops.length).toBeGreaterThan(20);
  expect(new Set(tops).size, `the picture's top stayed at ${tops[0]}`).toBe(1);

  // Each WAL record's key and value whole, as the memtable shows them.
  const records = page.getByTestId('wal').locator('.record');
  await expect(records).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(records.nth(i).locator('.value')).toHaveText(`Alexander ${i}`);
  }
  expect(await clippedInPicture(page)).toEqual([]);

  // A slim rail keeps Lessons: the lesson card opens beside the picture, with its navigation.
  const rail = page.getByRole('navigation', { name: 'Panels' });
  await expect(rail.getByRole('button')).toHaveText(['Lessons']);
  await rail.getByRole('button', { name: 'Lessons' }).click();
  await expect(page.getByRole('heading', { name: 'Lessons', exact: true })).toBeVisible();
  // The course map, then a lesson from it, with its navigation.
  await expect(page.getByTestId('course-map')).toBeVisible();
  await page.getByRole('button', { name: 'Crash and recovery' }).click();
  await expect(page.locator('.lesson-title')).toHaveText(/Crash and recovery/);
  await expect(page.getByRole('button', { name: 'Course map' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeVisible({ timeout: 20_000 });
});

test("the player is one line, whole, at a laptop's and a projector's width, also while steps wait", async ({
  page,
}) => {
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('slow');
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Insert random', exact: true }).click();
  await expect(page.getByTestId('position')).toContainText('to show');
  for (const width of [1366, 1280]) {
    for (const presenter of [false, true]) {
      await page.setViewportSize({ width, height: 800 });
      await page.getByLabel('Presenter mode').setChecked(presenter);
      const bar = await page.evaluate(() => {
        const player = document.querySelector<HTMLElement>('.player')!;
        const tallest = Math.max(...[...player.children].map((c) => c.getBoundingClientRect().height));
        // Its children in one line: none starts below the bottom of the tallest's line.
        const top = player.getBoundingClientRect().top;
        const below = [...player.children].filter((c) => c.getBoundingClientRect().top > top + tallest).length;
        return { overflow: player.scrollWidth - player.clientWidth, lines: below === 0 ? 1 : 2 };
      });
      expect(
        bar.overflow,
        `${width} px${presenter ? ', presenter' : ''}: nothing cut at the right`,
      ).toBeLessThanOrEqual(0);
      expect(bar.lines, `${width} px${presenter ? ', presenter' : ''}: one line`).toBe(1);
    }
  }
});

test('on a phone the More menu opens whole, on the screen and above the action bar', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page);
  await openMore(page);
  const body = page.locator('.toolbar .more-menu .menu-body');
  const menu = await box(body);
  expect(menu.x).toBeGreaterThanOrEqual(0);
  expect(menu.x + menu.width).toBeLessThanOrEqual(390);
  const bar = await box(page.locator('.toolbar .actions'));
  for (const name of ['Scan', 'Reset database']) {
    const button = await box(body.getByRole('button', { name, exact: true }));
    expect(button.x + button.width, `${name} is on the screen`).toBeLessThanOrEqual(390);
    expect(button.y + button.height, `${name} is above the action bar`).toBeLessThanOrEqual(bar.y);
  }
  await body.getByRole('button', { name: 'Reset database' }).click();
  await expect(page.getByRole('status')).toContainText('Reset: every file deleted');
  // Flush from the menu (the phone's bar has no room for it): the menu closes, and the flush is seen on the picture.
  await putKey(page, 'phone', 'flush');
  await openMore(page);
  await body.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect(page.locator('.toolbar details.more-menu')).not.toHaveAttribute('open');
  await expect(body).toBeHidden();
  await expect(page.getByTestId('sstable')).toHaveCount(1);
});

test('the WAL and the memtable show whole rows, none cut at the bottom of its list, as many as fit', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page);
  for (let i = 0; i < 6; i++) await putKey(page, `user:${i}`, `value ${i}`);
  await expect(page.getByTestId('memtable').locator('.more')).toBeVisible();
  const cut = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.stage .records, .stage .entries')]
        .filter((list) => list.scrollHeight > list.clientHeight + 1)
        .map((list) => `${list.className}: ${list.scrollHeight} > ${list.clientHeight}`),
    );
  expect(await cut(), 'at 390×844').toEqual([]);
  // A laptop with a panel open: the memtable is short, and still shows every row that fits.
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPanel(page, 'Code');
  // (Measured once the panel has opened: the list counts its rows again when it is resized.)
  await expect.poll(cut, { message: 'at 1280×720 with Code open' }).toEqual([]);
  // With rows left unshown, the room left under the last row is less than another entry's (once the layout has
  // settled: the panel opening resizes the list more than once).
  const unused = () =>
    page.evaluate(() => {
      const list = document.querySelector<HTMLElement>('[data-testid=memtable]')!;
      const rows = [...list.children] as HTMLElement[];
      if (!rows.some((r) => r.classList.contains('more'))) return 0;
      const bottom = list.getBoundingClientRect().bottom - Number.parseFloat(getComputedStyle(list).paddingBottom);
      const entry = Math.max(...rows.filter((r) => r.classList.contains('entry')).map((r) => r.offsetHeight));
      return Math.floor((bottom - rows.at(-1)!.getBoundingClientRect().bottom) / entry);
    });
  await expect.poll(unused, { message: 'no room for another entry left empty' }).toBe(0);
});

test('a first visit says what this is and what to press, not that nothing was recovered', async ({ page }) => {
  await openApp(page);
  const now = page.getByTestId('now');
  await expect(now).toContainText('a new, empty database');
  await expect(now).toContainText('press Put');
  await expect(now).not.toContainText('Recovered');
  // A reload of that empty database is a recovery, and says so.
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await expect(now).toContainText('Recovered: 0 WAL records');
});

test('the Workload panel says "finished" only once the picture has shown the end', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('normal');
  await openPanel(page, 'Workload');
  await page.getByRole('spinbutton', { name: 'Operations' }).fill('300');
  await page.evaluate(() => {
    const early: string[] = [];
    (window as unknown as { early: string[] }).early = early;
    new MutationObserver(() => {
      const progress = document.querySelector('[data-testid=workload-progress]')?.textContent ?? '';
      const position = document.querySelector('[data-testid=position]')?.textContent ?? '';
      if (progress.includes('finished') && position.includes('to show')) early.push(`${progress} | ${position}`);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Run workload' }).click();
  await expect(page.getByTestId('workload-progress')).toContainText('300 of 300 operations · finished', {
    timeout: 100_000,
  });
  await expect(page.getByTestId('position')).not.toContainText('to show');
  await expect(page.getByRole('status')).toContainText('Workload done');
  expect(await page.evaluate(() => (window as unknown as { early: string[] }).early)).toEqual([]);
});
