// npm test's set-up (scripts/browsers.mjs): where it looks for each browser, how it installs a missing one,
// and the one line it stops with when it cannot.
import { describe, expect, it } from 'vitest';
import { type Browser, CHROMIUM, FIREFOX, find, installPlan, whatToRun } from '../../../scripts/browsers.mjs';

const browser = (own?: string): Browser => ({ ...CHROMIUM, own: async () => own });
const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('finding a browser', () => {
  it('takes $CHROMIUM_PATH first, then Debian’s package, then the runner’s own download', async () => {
    const everywhere = only('/opt/chrome', '/usr/bin/chromium', '/cache/chrome');
    expect(await find(browser('/cache/chrome'), { CHROMIUM_PATH: '/opt/chrome' }, everywhere)).toEqual({
      path: '/opt/chrome',
      source: '$CHROMIUM_PATH',
    });
    expect(await find(browser('/cache/chrome'), {}, everywhere)).toEqual({
      path: '/usr/bin/chromium',
      source: 'Debian package',
    });
    expect(await find(browser('/cache/chrome'), {}, only('/cache/chrome'))).toEqual({
      path: '/cache/chrome',
      source: 'downloaded',
    });
  });

  it('reports nothing found when no candidate is an executable', async () => {
    expect(await find(browser('/cache/chrome'), {}, only())).toBeUndefined();
    expect(await find(browser(undefined), {}, only())).toBeUndefined();
  });

  it('does not look elsewhere when the variable names a missing file: it says so', async () => {
    const found = await find(browser(), { CHROMIUM_PATH: '/nowhere' }, only('/usr/bin/chromium'));
    expect(found).toEqual({
      problem: 'CHROMIUM_PATH=/nowhere is not an executable file: fix or unset it, then run npm test again.',
    });
  });
});

describe('installing what is missing', () => {
  it('as root on Debian: Debian’s packages, both in one apt-get', () => {
    expect(installPlan([CHROMIUM, FIREFOX], { root: true, debian: true })).toEqual({
      apt: ['chromium', 'firefox-esr'],
    });
  });

  it('elsewhere: the runners’ own downloads', () => {
    expect(installPlan([CHROMIUM], { root: false, debian: true })).toEqual({
      downloads: [['playwright', 'install', 'chromium']],
    });
    expect(installPlan([FIREFOX], { root: true, debian: false })).toEqual({
      downloads: [
        ['@puppeteer/browsers', 'install', 'firefox@stable', '--path', 'node_modules/.cache/puppeteer-browsers'],
      ],
    });
  });

  it('stops with one line saying exactly what to run', () => {
    expect(whatToRun([CHROMIUM, FIREFOX], { root: false, debian: true })).toBe(
      'npm test needs Chromium and Firefox and could not install them: run "sudo apt-get install -y chromium ' +
        'firefox-esr" (or set CHROMIUM_PATH=/path/to/it FIREFOX_PATH=/path/to/it), then npm test again.',
    );
    const elsewhere = whatToRun([CHROMIUM, FIREFOX], { root: false, debian: false });
    expect(elsewhere).toBe(
      'npm test needs Chromium and Firefox and could not install them: in this folder run "npx playwright install ' +
        'chromium" and "npx @puppeteer/browsers install firefox@stable --path node_modules/.cache/puppeteer-browsers" ' +
        'where downloads work (or set CHROMIUM_PATH=/path/to/it FIREFOX_PATH=/path/to/it), then npm test again.',
    );
    expect(elsewhere).not.toContain('\n');
  });
});
