// Class mode as a class lives it: a relay started here (the one `npm run class-server` runs), a teacher's tab on
// the projector and students' tabs in browser contexts of their own (one of them a phone). Each student's tab
// replays the teacher's operations on its own engine; the test compares what their pictures show.
import { type Browser, expect, type Page, test } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startRelay } from '../scripts/class-relay.mjs';
import { axeClean, putKey } from './helpers';

type Relay = Awaited<ReturnType<typeof startRelay>>;

/** The SSTables a picture shows: each file's name and key range, in the order drawn. */
const tables = (page: Page) =>
  page
    .locator('.stage [data-testid="sstable"]')
    .evaluateAll((cards) =>
      cards.map((c) => `${c.getAttribute('data-file')} ${c.querySelector('.range')?.textContent?.trim()}`),
    );

/** The keys the memtable panel shows, in order. */
const memtable = (page: Page) => page.getByTestId('memtable').innerText();

async function open(browser: Browser, url: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(url);
  await page.getByLabel('Animation speed').selectOption('instant');
  return page;
}

/** A teacher's tab with a class started on `relay`: answers the join link. */
async function startClass(browser: Browser, relay: Relay): Promise<{ teacher: Page; link: string }> {
  const teacher = await open(browser, `/?relay=${encodeURIComponent(relay.url)}`);
  await expect(teacher.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await teacher.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Class' }).click();
  await teacher.getByRole('button', { name: 'Start a class' }).click();
  await expect(teacher.getByTestId('class-code')).toHaveText(/^[A-Z2-7]{4} [A-Z2-7]{4}$/);
  await expect(teacher.getByTestId('class-qr')).toBeVisible();
  const link = (await teacher.getByTestId('class-link').getAttribute('href')) ?? '';
  expect(link).toMatch(/\?class=[a-z2-7]{26}&relay=/);
  return { teacher, link };
}

async function join(browser: Browser, link: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await open(browser, link, viewport);
  await expect(page.getByTestId('class-badge')).toContainText('Following the teacher', { timeout: 20_000 });
  return page;
}

/** What a picture shows of the database: the SSTables (names and ranges) and the memtable's rows. */
const state = async (page: Page) => ({ tables: await tables(page), memtable: await memtable(page) });

/** Every student's picture shows the teacher's files, and the same memtable (once the teacher's is still). */
async function inStep(teacher: Page, students: Page[]): Promise<void> {
  await expect(teacher.getByTestId('connection')).toHaveText('On disk (OPFS)');
  for (const student of students)
    await expect(async () => expect(await state(student)).toEqual(await state(teacher))).toPass({ timeout: 20_000 });
}

let relay: Relay;
test.beforeAll(async () => {
  relay = await startRelay({ port: 0, log: () => {} });
});
test.afterAll(async () => {
  await relay.close();
});

test('students follow the teacher, explore, come back, join late, and the class answers', async ({ browser }) => {
  test.setTimeout(240_000);
  const { teacher, link } = await startClass(browser, relay);
  const a = await join(browser, link, { width: 1280, height: 800 });
  const b = await join(browser, link, { width: 820, height: 1180 });
  await expect(teacher.getByTestId('class-following')).toContainText('2 students following');
  await axeClean(teacher, 'the teacher’s class panel');
  await axeClean(b, 'a student following');
  // A following student's engine is the teacher's to drive.
  await expect(a.getByRole('button', { name: 'Put', exact: true })).toBeHidden();

  // The teacher puts, flushes, crashes and recovers: every student's picture shows the same files.
  for (const key of ['user:1', 'user:2', 'user:3']) await putKey(teacher, key, `v-${key}`);
  await teacher.getByRole('button', { name: 'Flush', exact: true }).click();
  await putKey(teacher, 'user:4', 'in the memtable');
  await teacher.getByRole('button', { name: 'Simulate crash' }).click();
  await teacher.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(teacher.getByTestId('report')).toBeVisible();
  expect(await tables(teacher)).toHaveLength(1);
  await inStep(teacher, [a, b]);
  await expect(a.getByTestId('memtable')).toContainText('user:4');

  // A student explores on their own copy, then comes back and catches up.
  await a.getByRole('button', { name: 'Explore on my own' }).click();
  await expect(a.getByTestId('class-badge')).toContainText('Exploring on my own');
  await expect(teacher.getByTestId('class-following')).toContainText('1 student following (1 exploring');
  await putKey(a, 'mine', 'only here');
  await teacher.getByRole('button', { name: 'Flush', exact: true }).click();
  await expect.poll(() => tables(teacher)).toHaveLength(2);
  await inStep(teacher, [b]);
  await expect(a.getByTestId('memtable')).toContainText('mine');
  await a.getByRole('button', { name: 'Back to the class' }).click();
  await expect(a.getByTestId('class-badge')).toContainText('Following the teacher');
  await inStep(teacher, [a]);
  await expect(a.getByTestId('memtable')).not.toContainText('mine');

  // A late joiner, on a phone, catches up to where the class is.
  const c = await join(browser, link, { width: 390, height: 844 });
  await inStep(teacher, [c]);
  await expect(teacher.getByTestId('class-following')).toContainText('3 students following');

  // The class predicts: the teacher opens a lesson; every student answers on their own device.
  await teacher.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Lessons' }).click();
  await teacher
    .getByRole('button', { name: /The write path and the WAL/ })
    .first()
    .click();
  await teacher.getByRole('button', { name: 'Next', exact: true }).click();
  const question = (page: Page) => page.getByRole('group', { name: /Where do its bytes go first/ });
  await question(a).getByRole('radio', { name: 'The write-ahead log (disk)' }).check();
  await question(b).getByRole('radio', { name: 'The memtable (memory)' }).check();
  await question(c).getByRole('radio', { name: 'The write-ahead log (disk)' }).check();
  await expect(teacher.getByTestId('class-answered')).toHaveText('3 of 3 following answered');
  const bars = teacher.getByTestId('class-tally').locator('.tally-bar');
  await expect(bars.locator('.tally-count')).toHaveText(['2', '1', '0']);
  await axeClean(teacher, 'the class’s answers on the projector');
  await axeClean(c, 'a question on a student’s phone');

  // A forged operation from a student (a client edited to write the log, and to speak for a second student)
  // changes nothing anyone sees, and counts no answer.
  const doc = new Y.Doc();
  const roomName = `room-${new URL(link).searchParams.get('class')}`;
  const forger = new WebsocketProvider(relay.url, roomName, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  await expect.poll(() => forger.synced).toBe(true);
  doc.getArray('log').push([{ k: 'op', op: { op: 'put', key: 'forged', value: 'x' } }]);
  doc.getArray('log').delete(0, 1);
  forger.awareness.setLocalState({ role: 'student', following: true, answer: { q: 'x', c: ['sstable'] } });

  // The teacher reveals: each student sees right or wrong on their own picture, judged by their own engine.
  await teacher.getByRole('button', { name: 'Put user:1 = Ada' }).click();
  await expect(teacher.getByTestId('lesson-reveal')).toContainText('The engine did: The write-ahead log (disk)');
  await expect(teacher.getByTestId('class-answered')).toHaveText('3 of 4 following answered · 2 right');
  await expect(a.getByTestId('lesson-reveal')).toContainText('Right.');
  await expect(b.getByTestId('lesson-reveal')).toContainText('Not quite.');
  await expect(c.getByTestId('lesson-reveal')).toContainText('Right.');
  await inStep(teacher, [a, b, c]);
  for (const page of [a, b, c]) await expect(page.getByTestId('memtable')).not.toContainText('forged');
  forger.destroy();
  doc.destroy();
  // A student's tab, reloaded, comes back to the lesson's step.
  await b.reload();
  await expect(b.getByTestId('class-badge')).toContainText('Following the teacher', { timeout: 20_000 });
  await expect(b.getByTestId('lesson-reveal')).toContainText('The engine did: The write-ahead log (disk)');
  await inStep(teacher, [b]);
});

test('the relay restarts mid-class: every student reconnects and catches up, nothing lost', async ({ browser }) => {
  test.setTimeout(120_000);
  const own = await startRelay({ port: 0, log: () => {} });
  const { teacher, link } = await startClass(browser, own);
  const students = [await join(browser, link), await join(browser, link, { width: 390, height: 844 })];
  await putKey(teacher, 'before', 'the restart');
  await inStep(teacher, students);
  await own.close();
  await expect(students[0]!.locator('.class-dot.online')).toHaveCount(0);
  // The projector never waits for the relay: the teacher goes on while it is down.
  await putKey(teacher, 'during', 'the outage');
  await teacher.getByRole('button', { name: 'Flush', exact: true }).click();
  const back = await startRelay({ port: own.port, log: () => {} });
  try {
    await inStep(teacher, students);
    for (const student of students) {
      await expect(student.locator('.class-dot.online')).toHaveCount(1);
      await expect(student.getByTestId('class-badge')).toContainText('Following the teacher');
    }
    expect(await tables(students[1]!)).toHaveLength(1);
    // The teacher's tab, reloaded, finds its class where it was, and goes on teaching it.
    await teacher.reload();
    await expect(teacher.getByTestId('class-badge')).toContainText('2 following', { timeout: 20_000 });
    await putKey(teacher, 'after', 'the reload');
    await inStep(teacher, students);
    await expect(students[0]!.getByTestId('memtable')).toContainText('after');
  } finally {
    await back.close();
  }
});
