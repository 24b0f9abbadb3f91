// The picture tells each step as the engine took it, and keeps its drawings where they belong (issue 20, items 5,
// 12 and 14): a crash banner ends with the recovery, cards stay under their level's heading and inside their column
// while they move, and a Get inside an SSTable is shown one sub-step at a time, its binary search on the block's
// entries. Every assertion is on what is drawn, waiting for the engine's state, never for time.
import { expect, type Page, test } from '@playwright/test';
import { openApp, putKey } from './helpers';

/** A part of the picture drawn outside where it belongs, in one animation frame. */
interface Misplaced {
  what: string;
  box: { top: number; bottom: number; left: number; right: number };
  bound: { top: number; bottom: number; left: number; right: number };
}

/**
 * Starts checking, in every animation frame until stopped, where the drawings are: each card of L1 and deeper below
 * its level's heading, and each WAL card and record inside the write-ahead log's column. Returns what it found wrong
 * and in how many frames it looked (with a compaction running, and with two WAL files drawn).
 */
async function watchGeometry(
  page: Page,
): Promise<() => Promise<{ misplaced: Misplaced[]; frames: number; compacting: number; walFiles: string[] }>> {
  await page.evaluate(() => {
    type Box = { top: number; bottom: number; left: number; right: number };
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const watch = {
      misplaced: [] as Array<{ what: string; box: Box; bound: Box }>,
      frames: 0,
      compacting: 0,
      walFiles: new Set<string>(),
      stop: false,
    };
    (window as unknown as { geometry: typeof watch }).geometry = watch;
    const frame = () => {
      if (watch.stop) return;
      watch.frames++;
      if (document.querySelector('[data-testid="compaction"].running')) watch.compacting++;
      // The deeper levels: a flush's new L0 file flies in from the memtable, past L0's heading on its way.
      for (const row of document.querySelectorAll('[data-testid^="level-"]:not([data-testid="level-0"])')) {
        const heading = row.querySelector('.level-heading');
        if (!heading) continue;
        const bound = box(heading);
        for (const card of row.querySelectorAll('[data-testid="sstable"]')) {
          const b = box(card);
          if (b.bottom - b.top > 0 && b.top < bound.bottom - 0.5) {
            watch.misplaced.push({
              what: `${row.getAttribute('data-testid')}: ${card.textContent?.slice(0, 10)}`,
              box: b,
              bound,
            });
          }
        }
      }
      const column = document.querySelector('section[aria-label="Write-ahead log"]');
      if (column) {
        const bound = box(column);
        for (const el of column.querySelectorAll('[data-testid="wal"], .record')) {
          const b = box(el);
          if (el.matches('[data-testid="wal"]'))
            watch.walFiles.add(el.querySelector('[data-testid="wal-file"]')?.textContent ?? '');
          if (b.bottom - b.top === 0) continue;
          if (
            b.top < bound.top - 0.5 ||
            b.bottom > bound.bottom + 0.5 ||
            b.left < bound.left - 0.5 ||
            b.right > bound.right + 0.5
          ) {
            watch.misplaced.push({ what: `WAL: ${el.textContent?.slice(0, 24)}`, box: b, bound });
          }
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  return () =>
    page.evaluate(() => {
      const watch = (
        window as unknown as {
          geometry: {
            misplaced: Misplaced[];
            frames: number;
            compacting: number;
            walFiles: Set<string>;
            stop: boolean;
          };
        }
      ).geometry;
      watch.stop = true;
      return {
        misplaced: watch.misplaced,
        frames: watch.frames,
        compacting: watch.compacting,
        walFiles: [...watch.walFiles],
      };
    });
}

/** The player's position: steps shown, of how many the engine took. */
async function position(page: Page): Promise<{ shown: number; of: number }> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  const [, shown, of] = /step (\d+) of (\d+)/.exec(text) ?? [];
  return { shown: Number(shown), of: Number(of) };
}

/** Waits until the player has shown every step the engine took. */
async function allShown(page: Page): Promise<void> {
  await expect(page.getByTestId('position')).not.toContainText('to show');
}

/** Clicks `name` and waits until the engine did something and the player has shown all of it. */
async function pressAndShow(page: Page, name: string): Promise<void> {
  const before = await position(page);
  await page.getByRole('button', { name, exact: true }).click();
  await expect.poll(async () => (await position(page)).of).toBeGreaterThan(before.of);
  await allShown(page);
}

test('after Recover with an empty memtable, the memtable no longer says the process crashed', async ({ page }) => {
  await openApp(page);
  const memtable = page.getByRole('region', { name: 'Memtable' });
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await expect(memtable.locator('.crash-banner')).toContainText('Process crashed. 0 entries in memory lost.');

  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('now')).toContainText('Recovered: 0 WAL records replayed into the memtable');
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await expect(memtable.locator('.crash-banner')).toHaveCount(0);
  await expect(memtable).not.toHaveClass(/crashed/);
  await expect(memtable.getByTestId('memtable')).toContainText('Empty.');
});

test('mid-compaction, every SSTable card stays under its level heading (1366x768, Normal speed)', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  // Four flushes of three keys: L0 reaches its trigger and is merged into L1. Then three more files in L0.
  for (let file = 0; file < 7; file++) {
    for (let i = 0; i < 3; i++) await putKey(page, `user:${file}${i}`, `value ${file}${i}`);
    await pressAndShow(page, 'Flush');
  }
  await expect(page.getByTestId('level-0').getByTestId('sstable')).toHaveCount(3);
  await expect(page.getByTestId('level-1').getByTestId('sstable')).toHaveCount(2);

  await page.getByLabel('Animation speed').selectOption('normal');
  const stop = await watchGeometry(page);
  await page.getByRole('button', { name: 'Compact', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Compacted every key down to the last level');
  await allShown(page);
  // Until the last cards have settled: L0 empty, every input gone from L1.
  await expect(page.getByTestId('level-0').getByTestId('sstable')).toHaveCount(0);
  await expect(page.locator('[data-testid="sstable"].merging')).toHaveCount(0);
  const seen = await stop();
  expect(seen.compacting, 'frames drawn while the compaction ran').toBeGreaterThan(10);
  expect(seen.misplaced).toEqual([]);
});

test('during rapid Insert random clicks, every WAL card and record stays inside its column', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openApp(page);
  await page.getByLabel('Animation speed').selectOption('normal');
  const stop = await watchGeometry(page);
  const insert = page.getByRole('button', { name: 'Insert random', exact: true });
  // A burst, then clicks as fast as the picture shows them, until two memtables were flushed and their WALs
  // replaced by new ones.
  for (let i = 0; i < 5; i++) await insert.click();
  await allShown(page);
  let flushes = 0;
  while (flushes < 2) {
    const before = await page.getByTestId('level-0').getByTestId('sstable').count();
    await pressAndShow(page, 'Insert random');
    if ((await page.getByTestId('level-0').getByTestId('sstable').count()) > before) flushes++;
  }
  await expect(page.getByTestId('wal')).toHaveCount(1);
  const seen = await stop();
  expect(seen.walFiles.length, 'WAL files drawn').toBeGreaterThanOrEqual(3);
  expect(seen.misplaced).toEqual([]);
});

/** What the picture shows of a Get inside an SSTable at one moment. */
interface ProbeShown {
  phase: string | null;
  card: string;
  current: string[];
  lit: Array<{ probe: number; compare: string; current: boolean; found: boolean }>;
  cells: number;
}

function probeShown(): ProbeShown {
  const probe = document.querySelector('[data-testid="read-probe"]');
  const cells = [...(probe?.querySelectorAll<HTMLElement>('[data-testid="block-entry"]') ?? [])];
  return {
    phase: probe?.getAttribute('data-phase') ?? null,
    // The card of the file the probe is in.
    card:
      [...document.querySelectorAll('[data-testid="sstable"]')]
        .find((c) => c.querySelector('.file-name')?.textContent === probe?.getAttribute('data-file'))
        ?.querySelector('.read-step')?.textContent ?? '',
    current: [...(probe?.querySelectorAll('[data-current="true"]') ?? [])].map(
      (e) => e.getAttribute('data-testid') ?? '',
    ),
    lit: cells
      .filter((c) => c.dataset.probe)
      .map((c) => ({
        probe: Number(c.dataset.probe),
        compare: c.dataset.compare ?? '',
        current: c.classList.contains('current'),
        found: c.classList.contains('found'),
      })),
    cells: cells.length,
  };
}

/** Eight keys in one SSTable, one block: a binary search in it takes a few comparisons. */
async function oneTable(page: Page): Promise<void> {
  await openApp(page);
  for (let i = 0; i < 8; i++) await putKey(page, `user:${String(i).padStart(2, '0')}`, `v${i}`);
  await pressAndShow(page, 'Flush');
  await expect(page.getByTestId('sstable')).toHaveCount(1);
}

/** The order sub-steps come in; a step never goes back to an earlier one. */
const PHASES = ['bloom', 'index', 'block', 'search', 'done'];

function expectProbeStory(shown: ProbeShown[]): void {
  const phases = shown.map((s) => s.phase).filter((p): p is string => p !== null);
  expect(new Set(phases)).toEqual(new Set(PHASES));
  for (let i = 1; i < phases.length; i++) {
    expect(PHASES.indexOf(phases[i]!), `${phases[i - 1]} → ${phases[i]}`).toBeGreaterThanOrEqual(
      PHASES.indexOf(phases[i - 1]!),
    );
  }
  for (const s of shown) {
    if (s.phase === 'bloom') {
      // The filter's sub-step: the card says what the filter said, and nothing of the block yet.
      expect(s.current).toEqual(['probe-bloom']);
      expect(s.card).toContain('bloom');
      expect(s.card).not.toMatch(/found|not here|block/);
      expect(s.cells).toBe(0);
    }
    if (s.phase !== 'done') expect(s.card).not.toMatch(/found|not here|tombstone/);
    if (s.phase === 'block' || s.phase === 'search') expect(s.cells).toBeGreaterThan(1);
    // The probes lit so far are numbered 1, 2, …; the newest is ringed until the verdict, which marks the one found.
    expect(s.lit.map((c) => c.probe).sort((a, b) => a - b)).toEqual(s.lit.map((_, i) => i + 1));
    if (s.phase === 'search') {
      expect(s.lit.filter((c) => c.current).map((c) => c.probe)).toEqual([s.lit.length]);
    }
  }
  const done = shown.find((s) => s.phase === 'done')!;
  expect(done.card).toMatch(/block \d+: found/);
  expect(done.lit.filter((c) => c.found)).toEqual([expect.objectContaining({ compare: 'equal' })]);
  expect(done.lit.length).toBeGreaterThan(1);
}

test('paused at Slow, Step by step: the probe shows the filter, the index, the block, each comparison, the verdict', async ({
  page,
}) => {
  await oneTable(page);
  await page.getByLabel('Animation speed').selectOption('slow');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('▶ Play');
  const { of: start } = await position(page);
  await page.getByLabel('Key', { exact: true }).fill('user:07');
  await page.getByRole('button', { name: 'Get', exact: true }).click();
  await expect.poll(async () => (await position(page)).of).toBeGreaterThan(start);

  const shown: ProbeShown[] = [];
  const step = page.getByRole('button', { name: 'Step forward' });
  for (let at = start; ; at++) {
    await expect(step).toBeEnabled();
    await step.click();
    await expect(page.getByTestId('position')).toContainText(`step ${at + 1} of`);
    shown.push(await page.evaluate(probeShown));
    if (shown.at(-1)!.phase === 'done') break;
  }
  // Each comparison was a step of its own: one more cell lit per step.
  const searching = shown.filter((s) => s.phase === 'search').map((s) => s.lit.length);
  expect(searching).toEqual(searching.map((_, i) => i + 1));
  expectProbeStory(shown);
});

test('played at Slow, the probe tells its sub-steps in order and the card never runs ahead of them', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await oneTable(page);
  await page.getByLabel('Animation speed').selectOption('slow');
  // Sampled in every animation frame from the press of Get until the verdict has been shown.
  await page.evaluate((source) => {
    const sample = new Function(`return (${source})()`) as () => ProbeShown;
    const frames: ProbeShown[] = [];
    (window as unknown as { probeFrames: ProbeShown[] }).probeFrames = frames;
    const frame = () => {
      frames.push(sample());
      if (frames.at(-1)!.phase !== 'done') requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, probeShown.toString());
  await page.getByLabel('Key', { exact: true }).fill('user:07');
  await page.getByRole('button', { name: 'Get', exact: true }).click();
  await expect(page.getByTestId('read-probe')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  const frames = await page.evaluate(() => (window as unknown as { probeFrames: ProbeShown[] }).probeFrames);
  expectProbeStory(frames);
});
