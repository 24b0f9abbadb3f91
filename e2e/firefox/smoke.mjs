// The e2e smoke run in Firefox: Playwright 1.65 cannot drive Debian's Firefox ESR (it needs its own patched
// build, which cannot be downloaded here), so this drives it with puppeteer-core over WebDriver BiDi
// (docs/platform.md). It serves the production build itself, on 127.0.0.1:4175 (see PORT).
//
//   npm run test:firefox        (Firefox: $FIREFOX_PATH, /usr/bin/firefox-esr, Puppeteer's own; see scripts/browsers.mjs)
import { spawn } from 'node:child_process';
import puppeteer from 'puppeteer-core';
import { firefoxExecutable } from '../../scripts/browsers.mjs';

const FIREFOX = await firefoxExecutable();
// 4175, or two above $E2E_PORT (as Playwright's port, so that two checkouts can run side by side).
const PORT = process.env.E2E_PORT ? Number(process.env.E2E_PORT) + 2 : 4175;
const URL = `http://127.0.0.1:${PORT}/`;

if (!FIREFOX) {
  console.error('Firefox not found: run `node scripts/browsers.mjs` (npm test does) or set FIREFOX_PATH.');
  process.exit(1);
}

// A process group of its own: npx starts vite as a child, and killing npx alone left vite serving the port (the
// next run then found it taken).
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
  stdio: 'ignore',
  detached: true,
});
const checks = [];
let failed = 0;
function check(name, ok, detail = '') {
  checks.push(name);
  if (!ok) failed++;
  console.log(`${ok ? '✓' : '✘'} ${name}${detail ? ` (${detail})` : ''}`);
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vite preview did not start on ${URL}`);
}

const text = (page, testId) =>
  page.$eval(`[data-testid="${testId}"]`, (element) => element.textContent ?? '').catch(() => '');

async function until(page, testId, fragment, timeout = 15_000) {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < timeout) {
    last = await text(page, testId);
    if (last.includes(fragment)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`"${testId}" never contained "${fragment}" (last: "${last}")`);
}

async function setField(page, label, value) {
  await page.evaluate(
    ({ label, value }) => {
      const field = [...document.querySelectorAll('label')]
        // The label's own words, whatever their case ("Animation Speed" shows as "Speed", the rest hidden).
        .find((l) => l.firstChild?.textContent?.trim().toLowerCase() === label.toLowerCase())
        ?.querySelector('input, select');
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value').set;
      setter.call(field, value);
      field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    },
    { label, value },
  );
}

async function click(page, name) {
  await page.evaluate((name) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    if (!button) throw new Error(`no button "${name}"`);
    button.click();
  }, name);
}

let browser;
try {
  await waitForServer();
  browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const page = await browser.newPage();
  await page.goto(URL);
  check('the app opens its database on OPFS', (await until(page, 'connection', 'On disk (OPFS)')).length > 0);
  await setField(page, 'Animation speed', 'instant');
  await setField(page, 'Key', 'firefox:1');
  await setField(page, 'Value', 'works');
  await click(page, 'Put');
  check('a put is acknowledged', (await until(page, 'status', 'acknowledged')).includes('firefox:1'));
  check('the WAL record is shown', (await until(page, 'wal-size', 'bytes')) !== '0 bytes');
  await click(page, 'Flush');
  await until(page, 'level-0', '.sst');
  check('a flush writes an SSTable', true);
  await click(page, 'Get');
  check('get finds it in the SSTable', (await until(page, 'status', 'found in')).includes('works'));
  await setField(page, 'Key', 'firefox:2');
  await click(page, 'Put');
  await until(page, 'status', 'firefox:2');
  await click(page, 'Simulate crash');
  await until(page, 'connection', 'crashed');
  await click(page, 'Recover');
  check(
    'recovery finds every acknowledged write',
    (await until(page, 'report', 'Lost: 0.')).includes('Found after recovery: 2'),
  );
  await page.reload();
  await until(page, 'connection', 'On disk (OPFS)');
  await setField(page, 'Animation speed', 'instant');
  await setField(page, 'Key', 'firefox:2');
  await click(page, 'Get');
  check('after a reload the data is still there', (await until(page, 'status', 'firefox:2 =')).includes('found in'));
} catch (error) {
  failed++;
  console.log(`✘ ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser?.close();
  try {
    process.kill(-server.pid);
  } catch {
    server.kill();
  }
}
console.log(`Firefox: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
