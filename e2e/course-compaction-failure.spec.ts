// The Compaction and Failure chapters (issue 21, items 1–3): each of their eight lessons opened by its link in a
// fresh browser, walked to its first question, answered (right for half of them, wrong for the other half), and
// its reveal checked against what the engine's events drew: the file cards and level headings, the WAL and the
// memtable, the status line's own words. Opened again in another fresh browser, the lesson says exactly the same.
import { type Browser, expect, type Page, test } from '@playwright/test';
import { opposite } from './helpers';

interface Walk {
  slug: string;
  title: string;
  /** The choice picked, and whether it is the one the engine proves right. */
  answer: string;
  right: boolean;
  /** What the engine did, as the reveal names it. */
  did: string;
  /** The reveal against the picture and the status line. */
  check: (page: Page, reveal: string) => Promise<void>;
}

const lessons = (page: Page) => page.getByRole('region', { name: 'Lessons' });
const sstables = (page: Page) => page.getByRole('region', { name: 'SSTables' });
const wal = (page: Page) => page.getByRole('region', { name: 'Write-ahead log' });
const memtable = (page: Page) => page.getByRole('region', { name: 'Memtable' });
const level = (page: Page, n: number) => sstables(page).getByTestId(`level-${n}`).locator('.level-heading');
const match = (reveal: string, pattern: RegExp) => {
  const found = pattern.exec(reveal);
  expect(found, `the reveal says ${pattern}`).not.toBeNull();
  return found!;
};
const files = (text: string) => text.match(/\d{6}\.sst/g) ?? [];

const WALKS: Walk[] = [
  {
    slug: 'compaction',
    title: 'Leveled compaction',
    answer: 'Nothing: L0 just grows',
    right: false,
    did: 'Merges L0 into L1 (a compaction)',
    check: async (page, reveal) => {
      const read = files(match(reveal, /read (.*?) from L0/)[1]!);
      const wrote = files(match(reveal, /wrote ([^()]*?) into L1/)[1]!);
      expect(read).toHaveLength(4);
      for (const file of wrote) await expect(sstables(page)).toContainText(file);
      for (const file of read) await expect(sstables(page).locator(`[data-file="${file}"]`)).toHaveCount(0);
      await expect(level(page, 0)).toContainText('0 files');
      await expect(level(page, 1)).toContainText(`${wrote.length} files`);
    },
  },
  {
    slug: 'tiered',
    title: 'Tiered compaction and its trade',
    answer: 'Tiered',
    right: true,
    did: 'Tiered',
    check: async (page, reveal) => {
      expect(reveal).toContain('The first run (leveled compaction)');
      const [, tables, l0] = match(
        reveal,
        /second run \(tiered compaction\).*? It left (\d+) tables in .*?, (\d+) of them/,
      );
      // The picture holds what the second run left: that many tables, that many of them in L0.
      await expect(level(page, 0)).toContainText(`${l0} files`);
      const perLevel = await sstables(page).locator('.level-heading').allTextContents();
      const total = perLevel.reduce((sum, h) => sum + Number(/L\d+\s*(\d+) files?/.exec(h)?.[1] ?? 0), 0);
      expect(total).toBe(Number(tables));
    },
  },
  {
    slug: 'amplification',
    title: 'Amplification: write, read and space',
    answer: 'Less than one byte',
    right: false,
    did: 'One byte or more',
    check: async (page, reveal) => {
      const [, flushes, flushed] = match(reveal, /The workload's (\d+) flushes wrote (\d+) bytes/);
      const [, compacted] = match(reveal, /and wrote (\d+) bytes, dropping/);
      expect(Number(compacted)).toBeGreaterThanOrEqual(Number(flushed));
      expect(Number(flushes)).toBeGreaterThan(10);
      // The levels the compactions wrote into hold files on the picture.
      for (const [, n] of match(reveal, /compactions into (L\d(?: and L\d)?)/)[1]!.matchAll(/L(\d)/g))
        await expect(level(page, Number(n))).not.toContainText(' 0 files');
    },
  },
  {
    slug: 'compact-range',
    title: 'compactRange, deletes and snapshots',
    answer: 'Kept, for the snapshot',
    right: true,
    did: 'Kept, for the snapshot',
    check: async (page, reveal) => {
      const [, table] = match(reveal, /The Get at the snapshot found user:3 = v1 in (\d{6}\.sst)/);
      expect(reveal).toMatch(/kept 2 older versions because the snapshot at \d+ can still see them/);
      await expect(sstables(page)).toContainText(table!);
      await expect(page.getByTestId('status')).toContainText(`user:3 at the newest snapshot = v1: found in ${table}`);
    },
  },
  {
    slug: 'crash',
    title: 'Crash and recovery',
    answer: 'No: it was only in memory',
    right: false,
    did: 'Yes',
    check: async (page, reveal) => {
      const [, log] = match(reveal, /Recovery replayed 2 records from (\d{6}\.log) \(user:1 and user:4\)/);
      await expect(wal(page)).toContainText(log!);
      await expect(memtable(page)).toContainText('user:4');
      expect(reveal).toContain('The Get found user:4 = Alan in the memtable');
    },
  },
  {
    slug: 'crash-points',
    title: 'Crash points: a crash at each step of a flush',
    answer: 'In the memtable again, replayed from the WAL',
    right: true,
    did: 'In the memtable again, replayed from the WAL',
    check: async (page, reveal) => {
      const [, torn] = match(reveal, /leaving (\d{6}\.sst) cut off at \d+ bytes/);
      expect(reveal).toContain(`It deleted ${torn}: an SSTable no manifest record names`);
      const [, log] = match(reveal, /It replayed 3 WAL records from (\d{6}\.log) \(user:1, user:2 and user:3\)/);
      await expect(sstables(page).getByTestId('sstable')).toHaveCount(0);
      await expect(wal(page)).toContainText(log!);
      for (const key of ['user:1', 'user:2', 'user:3']) await expect(memtable(page)).toContainText(key);
      await expect(page.getByTestId('status')).toContainText('user:2 = Grace: found in the memtable');
    },
  },
  {
    slug: 'power-loss',
    title: 'Power loss and torn writes',
    answer: 'No: a power cut loses the last writes',
    right: false,
    did: 'Yes: every acknowledged write comes back',
    check: async (page, reveal) => {
      expect(reveal).toContain('The power went out.');
      const [, log] = match(reveal, /It replayed 3 WAL records from (\d{6}\.log) \(user:1, user:2 and user:3\)/);
      await expect(wal(page)).toContainText(log!);
      for (const key of ['user:1', 'user:2', 'user:3']) await expect(memtable(page)).toContainText(key);
      await expect(page.getByTestId('status')).toContainText('user:3 = Radia: found in the memtable');
    },
  },
  {
    slug: 'corruption',
    title: 'Corruption: reported, never returned',
    answer: 'An error naming the file and the byte',
    right: true,
    did: 'An error naming the file and the byte',
    check: async (page, reveal) => {
      const [, offset] = match(reveal, /The engine reported corruption in 000004\.sst at byte (\d+)/);
      expect(reveal).toContain('The Get of user:01 failed with that typed error');
      // The status line says what the typed error said: the same file and byte, and no value.
      await expect(page.getByTestId('status')).toContainText(`000004.sst is corrupt at byte ${offset}`);
      await expect(page.getByTestId('status')).not.toContainText('Grace Hopper');
      // On the picture: the file the engine named is marked, with the byte, on its own card.
      const card = sstables(page).locator('[data-file="000004.sst"]');
      await expect(card.getByTestId('corrupt-note')).toHaveText(`✗ corrupt at byte ${offset}: reported, never read`);
      await expect(sstables(page).getByTestId('corrupt-note')).toHaveCount(1);
    },
  },
];

/** Goes through the open lesson from its first step to its first question, answers it; returns the reveal's text. */
async function firstQuestion(page: Page, walk: Walk, flip = false): Promise<string> {
  const step = lessons(page).getByTestId('lesson-step');
  await expect(step).toContainText('Step 1 of', { timeout: 30_000 });
  for (let guard = 0; guard < 6; guard++) {
    const text = (await step.textContent()) ?? '';
    if (text.includes('predict, then see')) {
      await (flip ? opposite(step, walk.right, walk.did) : step.getByLabel(walk.answer)).check();
      await step.getByRole('button').click();
      const shown = step.getByTestId('lesson-reveal');
      // Flipped (answered the other way): the other verdict, the same engine's answer and explanation.
      const right = walk.right !== flip;
      await expect(shown).toContainText(`${right ? 'Right.' : 'Not quite.'} The engine did: ${walk.did}.`, {
        timeout: 60_000,
      });
      return ((await shown.textContent()) ?? '').replace(/^(Right\.|Not quite\.)/, '');
    }
    // An explanation's Next, or a step to try: its one button; then wait for the next step (not the busy one).
    const at = Number(/Step (\d+) of/.exec(text)?.[1]);
    await step.getByRole('button').click();
    await expect(step).toContainText(`Step ${at + 1} of`, { timeout: 60_000 });
  }
  throw new Error(`no question in the first steps of ${walk.slug}`);
}

async function freshLesson(browser: Browser, slug: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`/?lesson=${slug}`);
  await page.getByLabel('Animation speed').selectOption('instant');
  return page;
}

for (const walk of WALKS) {
  test(`lesson "${walk.slug}" opened by its link answers its first question from the engine, the same twice`, async ({
    browser,
  }) => {
    test.setTimeout(150_000);
    const page = await freshLesson(browser, walk.slug);
    await expect(lessons(page).getByRole('heading', { name: walk.title })).toBeVisible();
    const first = await firstQuestion(page, walk);
    await walk.check(page, first);
    await page.context().close();
    // In another fresh browser, from the link again, answered the other way (right where it was wrong, wrong where
    // it was right): set up afresh, the engine does and says exactly the same.
    const other = await freshLesson(browser, walk.slug);
    expect(await firstQuestion(other, walk, true)).toBe(first);
    await other.context().close();
  });
}

/** Walks the open lesson to step `n` (1-based): every question on the way answered with its first choice. */
async function walkTo(page: Page, n: number): Promise<void> {
  const step = lessons(page).getByTestId('lesson-step');
  await expect(step).toContainText('Step 1 of', { timeout: 30_000 });
  for (let at = 1; at < n; at++) {
    const text = (await step.textContent()) ?? '';
    if (text.includes('predict, then see')) {
      await step.getByRole('radio').first().check();
      await step.getByRole('button').click();
      await step.getByTestId('lesson-reveal').getByRole('button', { name: 'Next' }).click({ timeout: 60_000 });
    } else await step.getByRole('button').click();
    await expect(step).toContainText(`Step ${at + 1} of`, { timeout: 60_000 });
  }
}

test('leveled: the tables a compaction reads are pointed at on the picture and checked by the engine', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await freshLesson(browser, 'compaction');
  await walkTo(page, 4);
  const step = lessons(page).getByTestId('lesson-step');
  await expect(step).toContainText('answer on the picture');
  // Point at L0's three tables only, leaving out the L1 table whose key range overlaps them.
  const l0 = sstables(page).getByTestId('level-0').getByTestId('pick');
  await expect(l0).toHaveCount(3);
  const pointed = await l0.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.pick!));
  for (const id of pointed) await sstables(page).locator(`[data-pick="${id}"]`).click();
  const l1 = await sstables(page)
    .getByTestId('level-1')
    .getByTestId('pick')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.pick!));
  expect(l1).toHaveLength(2);
  await step.getByRole('button', { name: 'Write user:16 and flush' }).click();
  const reveal = step.getByTestId('lesson-reveal');
  await expect(reveal).toContainText('Not quite.', { timeout: 60_000 });
  const text = (await reveal.textContent()) ?? '';
  const [, taken] = match(text, /From L1 it took only (\d{6}\.sst)/);
  // The engine's answer is the three pointed at and that L1 table; the other L1 table was left where it was.
  expect(text).toContain(
    `The engine’s answer: ${[...pointed, taken].join(', ')} (you pointed at: ${pointed.join(', ')})`,
  );
  const untouched = l1.find((f) => f !== taken)!;
  await expect(sstables(page).locator(`[data-file="${untouched}"]`)).toHaveCount(1);
  await expect(sstables(page).locator(`[data-file="${taken}"]`)).toHaveCount(0);
  await page.context().close();
});

test('power loss: the WAL record where recovery stops is pointed at and marked right on the picture', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await freshLesson(browser, 'power-loss');
  await walkTo(page, 3);
  const step = lessons(page).getByTestId('lesson-step');
  await expect(step).toContainText('answer on the picture');
  const records = wal(page).getByTestId('pick');
  await expect(records).toHaveCount(3);
  const last = (await records.last().getAttribute('data-pick'))!;
  await records.last().click();
  await expect(step.getByTestId('pick-chosen')).toHaveText(last.replace('@', ' @ '));
  await step.getByRole('button', { name: 'Put user:4 with the power cut mid-append, recover' }).click();
  const reveal = step.getByTestId('lesson-reveal');
  await expect(reveal).toContainText(`Right. The engine’s answer: ${last.replace('@', ' @ ')}.`, { timeout: 60_000 });
  await expect(wal(page).locator(`[data-pick="${last}"]`)).toHaveAttribute('data-mark', 'right');
  // Where the reveal says recovery cut the log, the WAL drawing shows the torn tail.
  const [, file, at, bytes] = match(
    (await reveal.textContent()) ?? '',
    /(\d{6}\.log) ended in an incomplete record at byte (\d+): recovery cut off those (\d+) bytes/,
  );
  expect(last.startsWith(`${file}@`)).toBe(true);
  await expect(wal(page)).toContainText(`torn tail at byte ${at}: ${bytes} bytes cut off`);
  await page.context().close();
});

test('compactRange: the level it writes into is pointed at and marked on the picture', async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await freshLesson(browser, 'compact-range');
  await walkTo(page, 5);
  const step = lessons(page).getByTestId('lesson-step');
  await expect(step).toContainText('answer on the picture');
  // A wrong guess: a level below the tree's deepest (compactRange goes no deeper than the tree does).
  await sstables(page).locator('[data-pick="L2"]').click();
  await expect(step.getByTestId('pick-chosen')).toHaveText('L2');
  await step.getByRole('button', { name: 'Put user:5, flush, compact' }).click();
  const reveal = step.getByTestId('lesson-reveal');
  await expect(reveal).toContainText('Not quite. The engine’s answer: L1 (you pointed at: L2).', { timeout: 60_000 });
  await expect(reveal).toContainText('L1 already was the deepest level holding tables');
  await expect(sstables(page).locator('[data-pick="L1"]')).toHaveAttribute('data-mark', 'missed');
  await expect(sstables(page).locator('[data-pick="L2"]')).toHaveAttribute('data-mark', 'wrong');
  // What the reveal says was written into L1 is what L1 holds now.
  const wrote = [...((await reveal.textContent()) ?? '').matchAll(/wrote (\d{6}\.sst) into L1/g)].map((m) => m[1]!);
  await expect(level(page, 1)).toContainText(`${wrote.length} files`);
  await expect(level(page, 0)).toContainText('0 files');
  await page.context().close();
});

test('corruption: the compaction that meets the damage is drawn as failed, where the engine said, and stops', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await freshLesson(browser, 'corruption');
  await walkTo(page, 4);
  const step = lessons(page).getByTestId('lesson-step');
  await step.getByLabel('No: it stops at the damage and says where').check();
  await step.getByRole('button', { name: 'Compact' }).click();
  const reveal = step.getByTestId('lesson-reveal');
  await expect(reveal).toContainText('Right. The engine did: No: it stops at the damage and says where.', {
    timeout: 60_000,
  });
  const [, offset] = match((await reveal.textContent()) ?? '', /reported corruption in 000004\.sst at byte (\d+)/);
  expect(await reveal.textContent()).toContain('The compaction failed there: it wrote no output');
  // The banner says the compaction failed, where, and that nothing changed; it does not go on "Compacting".
  const banner = sstables(page).getByTestId('compaction');
  await expect(banner).toHaveClass(/failed/);
  await expect(banner).toContainText('Compaction failed');
  await expect(banner).not.toContainText('Compacting');
  await expect(banner.getByTestId('compaction-failed')).toHaveText(
    `000004.sst is corrupt at byte ${offset}: nothing was committed, its inputs stay where they were.`,
  );
  // The caption's line for the last event says it too, in the colour of a failure.
  await expect(page.getByTestId('now')).toHaveText(
    'Compaction into L1 failed: 000004.sst is corrupt at byte ' +
      `${offset}. Nothing was committed; its inputs (000004.sst) stay where they were.`,
  );
  await expect(page.getByTestId('now')).toHaveClass(/now-failed/);
  // Its input is no longer drawn as being merged, and it is still the tree's, marked where the engine said.
  const card = sstables(page).locator('[data-file="000004.sst"]');
  await expect(card).not.toHaveClass(/merging/);
  await expect(card.getByTestId('corrupt-note')).toHaveText(`✗ corrupt at byte ${offset}: reported, never read`);
  await page.context().close();
});

test('corruption, at Slow: the row below glides under the card that grew, never over its new line', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await freshLesson(browser, 'corruption');
  await walkTo(page, 2);
  await page.getByLabel('Animation speed').selectOption('slow');
  // Every frame from the corrupt note's first paint until a second after it: what is on top at the note's centre.
  await page.evaluate(() => {
    const seen: string[] = [];
    let since = 0;
    const frame = (at: number) => {
      const note = document.querySelector('[data-testid="corrupt-note"]');
      if (note) {
        since ||= at;
        const box = note.getBoundingClientRect();
        const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height - 4);
        seen.push(top && note.contains(top) ? 'note' : (top?.outerHTML.slice(0, 80) ?? 'nothing'));
      }
      if (since === 0 || at - since < 1000) requestAnimationFrame(frame);
      else (window as unknown as { glide: string[] }).glide = seen;
    };
    requestAnimationFrame(frame);
  });
  const step = lessons(page).getByTestId('lesson-step');
  await step.getByLabel('An error naming the file and the byte').check();
  await step.getByRole('button').click();
  const seen = (await page.waitForFunction(() => (window as unknown as { glide?: string[] }).glide, null, {
    timeout: 60_000,
  }))!.jsonValue() as Promise<string[]>;
  const frames = await seen;
  expect(frames.length).toBeGreaterThan(10);
  expect(frames.filter((f) => f !== 'note')).toEqual([]);
  await page.context().close();
});
