// Publishing: the production build as a teacher puts it on a static host, under a sub-path
// (https://example.org/course/lsm-lab/), with the headers of dist/_headers; installable; frameable.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { getKey, openApp, openPanel, putKey } from './helpers';
import { type StaticHost, startStaticHost } from './static-host';

const BASE = '/course/lsm-lab/';
let host: StaticHost;

/** A course page that embeds the lab as the README's snippet does. */
const coursePageHtml = (url: string) =>
  `<!doctype html><title>Week 3</title><h1>Week 3: storage engines</h1>
   <iframe src="${url}?embed" width="800" height="450" title="LSM Lab" style="border: 0"></iframe>`;
/** The course page's address on another site than the lab's: localhost instead of 127.0.0.1. */
const coursePage = (on: StaticHost) => `${on.origin.replace('127.0.0.1', 'localhost')}/course-page.html`;

test.beforeAll(async () => {
  host = await startStaticHost({ base: BASE, pages: { '/course-page.html': coursePageHtml } });
});
test.afterAll(() => host.close());
test.beforeEach(() => {
  host.misses.length = 0;
});

/** Waits until the service worker has installed and controls the page (the first load is not controlled). */
async function controlledBy(page: Page, scriptURL: string): Promise<void> {
  expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL))).toBe(scriptURL);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(scriptURL);
}

test('under a sub-path the build opens, writes, crashes, recovers and reloads offline', async ({ page, context }) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(host.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  await openApp(page, host.url);
  await putKey(page, 'course:1', 'at a sub-path');
  await putKey(page, 'course:2', 'also');
  await page.getByRole('button', { name: 'Simulate crash', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('crashed');
  await page.getByRole('button', { name: 'Recover', exact: true }).click();
  await expect(page.getByTestId('report')).toContainText(
    'Acknowledged writes before the crash: 2. Found after recovery: 2.',
  );

  // The service worker lives in the sub-path and controls it, so a reload works with the network gone.
  expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope))).toBe(host.url);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await controlledBy(page, `${host.url}sw.js`);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('On disk (OPFS)');
  await page.getByLabel('Animation speed').selectOption('instant');
  await getKey(page, 'course:1');
  await expect(page.getByRole('status')).toContainText('course:1 = at a sub-path');
  await context.setOffline(false);

  // Every file came from inside the sub-path: nothing asked for the domain's root.
  expect(host.misses).toEqual([]);
  expect(foreign).toEqual([]);
});

test('the service worker deletes the caches of the hand-written one it replaces', async ({ page }) => {
  // Before any service worker: a cache as the earlier one named them, and its own runtime cache's name.
  await page.goto(`${host.url}manifest.webmanifest`);
  await page.evaluate(async () => {
    await (await caches.open('lsm-lab-mx5xta8y')).put('./index.html', new Response('old'));
  });
  await openApp(page, host.url);
  await controlledBy(page, `${host.url}sw.js`);
  await expect.poll(() => page.evaluate(() => caches.keys())).not.toContain('lsm-lab-mx5xta8y');
});

test('the web app manifest is served and valid, and Chromium finds the app installable', async ({ diskPage: page }) => {
  // A persistent profile: Chromium does not offer to install from an off-the-record one.
  await openApp(page, host.url);
  await controlledBy(page, `${host.url}sw.js`);
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.url).toBe(`${host.url}manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  const data = JSON.parse(manifest.data ?? '{}');
  expect(data).toMatchObject({
    name: 'LSM Lab',
    short_name: 'LSM Lab',
    display: 'standalone',
    start_url: './',
    scope: './',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
  });
  // Each icon is a PNG of the size it claims; one is maskable.
  for (const icon of data.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
    const response = await page.request.get(new URL(icon.src, manifest.url).href);
    expect(response.status(), icon.src).toBe(200);
    const png = await response.body();
    expect(png.subarray(1, 4).toString('latin1'), icon.src).toBe('PNG');
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
  }
  expect(data.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(
    expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
  );
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
});

test("SQLite's WebAssembly is not downloaded with the app, and is kept offline once fetched", async ({
  page,
  context,
}) => {
  const wasm = readdirSync('dist/assets').find((file) => file.endsWith('.wasm'));
  expect(wasm).toBeDefined();
  await openApp(page, host.url);
  await controlledBy(page, `${host.url}sw.js`);
  const cached = () =>
    page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        // Workbox keys its precache by URL plus a revision parameter.
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url.split('?')[0]!);
      }
      return urls;
    });
  const before = await cached();
  expect(before).toContain(`${host.url}index.html`);
  expect(before.filter((url) => /sqlite|\.wasm/.test(url))).toEqual([]);

  const fetchWasm = (url: string) =>
    page.evaluate(
      (u) =>
        fetch(u)
          .then((r) => r.arrayBuffer())
          .then((b) => b.byteLength),
      url,
    );
  const size = await fetchWasm(`${host.url}assets/${wasm}`);
  expect(size).toBeGreaterThan(100_000);
  await expect.poll(cached).toContain(`${host.url}assets/${wasm}`);
  await context.setOffline(true);
  expect(await fetchWasm(`${host.url}assets/${wasm}`)).toBe(size);
  await context.setOffline(false);
});

test('any page may frame the lab: the host sends frame-ancestors *, and the browser honours it', async ({ page }) => {
  const response = await page.request.get(`${host.url}?embed`);
  expect(response.headers()['content-security-policy']).toContain('frame-ancestors *');
  // A course page on another site (localhost is not the same site as 127.0.0.1) frames the embed view.
  const framed = () => page.frames().find((frame) => frame.parentFrame() === page.mainFrame());
  await page.goto(coursePage(host));
  await expect.poll(async () => framed()?.title()).toMatch(/^LSM Lab/);

  // The control: the same course page framing a host that sends frame-ancestors 'self' gets Chromium's error page.
  const copy = mkdtempSync(join(tmpdir(), 'lsm-lab-dist-'));
  cpSync('dist', copy, { recursive: true });
  writeFileSync(
    join(copy, '_headers'),
    readFileSync('dist/_headers', 'utf8').replace('frame-ancestors *', "frame-ancestors 'self'"),
  );
  const strict = await startStaticHost({ root: copy, base: BASE, pages: { '/course-page.html': coursePageHtml } });
  try {
    await page.goto(coursePage(strict));
    await expect.poll(() => framed()?.url()).toMatch(/^chrome-error:/);
    expect(await framed()?.title()).not.toMatch(/^LSM Lab/);
  } finally {
    await strict.close();
    rmSync(copy, { recursive: true, force: true });
  }
});

test("under the host's header policy the Performance view still compiles SQLite's WebAssembly", async ({
  diskPage: page,
}) => {
  // A policy sent as a header also governs workers (a <meta> one does not): without 'wasm-unsafe-eval' the
  // worker that runs SQLite could not compile it, and the comparison would go on without it.
  test.setTimeout(120_000);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await openApp(page, host.url);
  await openPanel(page, 'Performance');
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.getByTestId('perf-status')).toContainText(/Comparison done in \d+\.\d s\./, { timeout: 90_000 });
  await expect(page.locator('tr[data-subject="sqlite"] .perf-rate').first()).toHaveText(/^\d+(\.\d)?[kM]?\/s$/);
  expect(refused).toEqual([]);
});
