// The embed on another site, where the browser denies it storage: a course page on one site (localhost) frames the
// lab served from another (127.0.0.1), in a Chromium profile that blocks third-party cookies, and with them
// third-party storage (Web Locks, OPFS and localStorage throw SecurityError in the frame, as in Safari or Brave).
// The embed must run, in memory, and say so: never "open in another tab".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, type Frame, type Page, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/chromium.ts';
import { type StaticHost, startStaticHost } from './static-host';

const BASE = '/course/lsm-lab/';
let host: StaticHost;
let profile: string;
let context: BrowserContext;

/** The README's snippet in a course page; `hash` a scenario for the embed to start from. */
const coursePageHtml = (hash: string) => (url: string) =>
  `<!doctype html><title>Week 3</title><style>body { margin: 0 }</style>
   <iframe src="${url}?embed${hash}" width="800" height="450" style="border:0" title="LSM Lab: a live LSM tree"></iframe>`;

/** A scenario as the Share panel encodes it: two crashes (one a crash point, one a power loss), each recovered. */
const SCENARIO = {
  version: 1,
  settings: {},
  ops: [
    { op: 'put', key: 'before', value: 'the crashes' },
    { op: 'arm', point: 'before-memtable', kind: 'process' },
    { op: 'put', key: 'logged', value: 'not yet in the memtable' },
    { op: 'recover' },
    { op: 'crash', kind: 'power', seed: 42 },
    { op: 'recover' },
  ],
};
const scenarioHash = `#scenario=${Buffer.from(JSON.stringify(SCENARIO)).toString('base64url')}`;

test.beforeAll(async () => {
  host = await startStaticHost({
    base: BASE,
    pages: { '/course-page.html': coursePageHtml(''), '/scenario-page.html': coursePageHtml(scenarioHash) },
  });
  // Chromium's "Block third-party cookies" (chrome://settings/cookies), set in the profile before it starts.
  profile = mkdtempSync(join(tmpdir(), 'lsm-lab-e2e-3p-'));
  mkdirSync(join(profile, 'Default'));
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 1 } }));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 900, height: 600 },
  });
});
test.afterAll(async () => {
  await context.close();
  await host.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Opens the course page, on another site than the lab (localhost is not the same site as 127.0.0.1). */
async function openCoursePage(path = '/course-page.html'): Promise<{ page: Page; frame: Frame }> {
  const page = await context.newPage();
  await page.goto(`${host.origin.replace('127.0.0.1', 'localhost')}${path}`);
  const framed = () => page.frames().find((f) => f.parentFrame() === page.mainFrame());
  await expect.poll(async () => framed()?.title()).toMatch(/^LSM Lab/);
  return { page, frame: framed()! };
}

test('an embed on another site with third-party storage blocked runs in memory and says so, never "another tab"', async () => {
  const { page, frame } = await openCoursePage();
  // The test means something only if the browser really denies the frame its storage.
  const denied = await frame.evaluate(async () => {
    const name = (f: () => unknown) =>
      Promise.resolve()
        .then(f)
        .then(
          () => 'allowed',
          (e: unknown) => (e instanceof DOMException ? e.name : String(e)),
        );
    return {
      localStorage: await name(() => localStorage.length),
      locks: await name(() => navigator.locks.request('probe', { ifAvailable: true }, () => {})),
      opfs: await name(() => navigator.storage.getDirectory()),
    };
  });
  expect(denied).toEqual({ localStorage: 'SecurityError', locks: 'SecurityError', opfs: 'SecurityError' });

  const line = frame.getByTestId('storage-line');
  await expect(line).toContainText(
    'Storage is blocked here: the lab runs in memory (a crash keeps its files, a reload loses them).',
  );
  await expect(frame.getByText(/another tab/)).toHaveCount(0);
  await expect(frame.getByTestId('locked')).toHaveCount(0);

  // The first click asks for storage (the Storage Access API); this browser refuses a site never visited on its
  // own, and the Put the click was for goes to the engine in memory.
  await frame.getByLabel('Key', { exact: true }).fill('embed:1');
  await frame.getByRole('button', { name: 'Put', exact: true }).click();
  await expect(frame.getByRole('status')).toContainText('Put embed:1 = Ada: acknowledged');
  await expect(line).toContainText('Storage access refused: the lab runs in memory');
  await expect(frame.getByText(/another tab/)).toHaveCount(0);

  // What the line says a crash does: the files stay, as on a disk, and recovery replays the WAL.
  await frame.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await frame.getByRole('button', { name: 'Recover', exact: true }).click();
  // The embed's status line gives the durability check in its short form.
  await expect(frame.getByTestId('report')).toContainText(
    'After the crash: 1 of 1 acknowledged writes found. Lost: 0.',
  );

  // "Open the full lab": the full view in a new tab, first-party there, so on disk.
  const opened = context.waitForEvent('page');
  await line.getByRole('link', { name: 'Open the full lab ↗' }).click();
  const full = await opened;
  await expect(full.getByTestId('connection')).toHaveText('On disk (OPFS)');
  expect(full.url()).toBe(host.url);
  await full.close();
  await page.close();
});

test('a scenario with crashes replays to its end in a blocked embed, the files kept in memory across each crash', async () => {
  const { page, frame } = await openCoursePage('/scenario-page.html');
  await expect(frame.getByRole('status')).toContainText('Replayed a shared scenario: 6 operations', {
    timeout: 30_000,
  });
  await expect(frame.getByTestId('storage-line')).toBeVisible();
  await expect(frame.getByText(/another tab/)).toHaveCount(0);
  // Both writes survived both crashes (the replay's message took the status line from the last report).
  await frame.getByLabel('Key', { exact: true }).fill('before');
  await frame.getByRole('button', { name: 'Get', exact: true }).click();
  await expect(frame.getByRole('status')).toContainText('before = the crashes');
  // The write whose crash came before its memtable insert was in the WAL: recovery brought it back.
  await frame.getByLabel('Key', { exact: true }).fill('logged');
  await frame.getByRole('button', { name: 'Get', exact: true }).click();
  await expect(frame.getByRole('status')).toContainText('logged = not yet in the memtable');
  await page.close();
});
