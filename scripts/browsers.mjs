// `npm test` sets itself up (this is its `pretest`): it finds the two browsers the suites drive and installs
// whichever is missing, or stops with one line saying exactly what to run.
//   Chromium (Vitest browser mode, Playwright): $CHROMIUM_PATH, Debian's /usr/bin/chromium, Playwright's own.
//   Firefox (e2e/firefox/smoke.mjs, puppeteer-core): $FIREFOX_PATH, Debian's /usr/bin/firefox-esr, Puppeteer's own.
// Installing: as root on Debian, Debian's packages (the browsers this project measures, system libraries
// included); elsewhere the runners' own downloads (`npx playwright install chromium`, `npx @puppeteer/browsers
// install firefox@stable`). test/chromium.ts and the Firefox smoke run look in the same places.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project's root: the downloads run there, so that the commands printed can be run as they are. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where Puppeteer's own Firefox goes, from the root (inside node_modules: a fresh `npm ci` starts clean). */
const FIREFOX_DIR = 'node_modules/.cache/puppeteer-browsers';
export const FIREFOX_CACHE = fileURLToPath(new URL(`../${FIREFOX_DIR}`, import.meta.url));

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Looks for a browser along its candidates, in order.
 * @param {{ name: string, variable: string, system: string, own: () => Promise<string | undefined> }} browser
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<{ path: string, source: string } | { problem: string } | undefined>}
 */
export async function find(browser, env = process.env, isExecutable = executable) {
  const fromEnv = env[browser.variable];
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { path: fromEnv, source: `$${browser.variable}` }
      : {
          problem: `${browser.variable}=${fromEnv} is not an executable file: fix or unset it, then run npm test again.`,
        };
  }
  if (isExecutable(browser.system)) return { path: browser.system, source: 'Debian package' };
  const own = await browser.own();
  if (own && isExecutable(own)) return { path: own, source: 'downloaded' };
  return undefined;
}

export const CHROMIUM = {
  name: 'Chromium',
  variable: 'CHROMIUM_PATH',
  system: '/usr/bin/chromium',
  debianPackage: 'chromium',
  download: ['playwright', 'install', 'chromium'],
  own: async () => (await import('@playwright/test')).chromium.executablePath(),
};

export const FIREFOX = {
  name: 'Firefox',
  variable: 'FIREFOX_PATH',
  system: '/usr/bin/firefox-esr',
  debianPackage: 'firefox-esr',
  download: ['@puppeteer/browsers', 'install', 'firefox@stable', '--path', FIREFOX_DIR],
  own: async () => {
    const { getInstalledBrowsers } = await import('@puppeteer/browsers');
    const installed = await getInstalledBrowsers({ cacheDir: FIREFOX_CACHE }).catch(() => []);
    return installed.find((b) => b.browser === 'firefox')?.executablePath;
  },
};

/** The Firefox the smoke run drives, or undefined. */
export async function firefoxExecutable() {
  const found = await find(FIREFOX);
  return found && 'path' in found ? found.path : undefined;
}

/**
 * How to install what is missing on this machine.
 * @param {{ debianPackage: string, download: string[] }[]} missing
 * @param {{ root: boolean, debian: boolean }} machine
 * @returns {{ apt: string[] } | { downloads: string[][] }}
 */
export function installPlan(missing, machine) {
  if (machine.root && machine.debian) return { apt: missing.map((b) => b.debianPackage) };
  return { downloads: missing.map((b) => b.download) };
}

/**
 * The one line printed when a browser is still missing: what to run.
 * @param {{ name: string, variable: string, debianPackage: string, download: string[] }[]} missing
 * @param {{ root: boolean, debian: boolean }} machine
 */
export function whatToRun(missing, machine) {
  const names = missing.map((b) => b.name).join(' and ');
  const variables = missing.map((b) => `${b.variable}=/path/to/it`).join(' ');
  const it = missing.length === 1 ? 'it' : 'them';
  if (machine.debian) {
    const apt = `${machine.root ? '' : 'sudo '}apt-get install -y ${missing.map((b) => b.debianPackage).join(' ')}`;
    return `npm test needs ${names} and could not install ${it}: run "${apt}" (or set ${variables}), then npm test again.`;
  }
  const downloads = missing.map((b) => `npx ${b.download.join(' ')}`).join('" and "');
  return `npm test needs ${names} and could not install ${it}: in this folder run "${downloads}" where downloads work (or set ${variables}), then npm test again.`;
}

function machine() {
  let debian = false;
  try {
    debian = /^ID="?debian"?$/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    // not Linux, or no os-release: not Debian
  }
  return { root: process.getuid?.() === 0, debian };
}

/** Runs a command quietly; on failure shows its last lines (the final line of this script stays the clear one). */
function run(command, args, env = { ...process.env, npm_config_update_notifier: 'false' }) {
  console.log(`== ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 15 * 60_000 });
  if (result.status === 0) return true;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  console.log(output.trim().split('\n').slice(-4).join('\n'));
  return false;
}

/** `node scripts/browsers.mjs chromium` (the benchmark's `prebench`) sets up Chromium alone. */
async function main(only = process.argv.slice(2)) {
  const browsers = [CHROMIUM, FIREFOX].filter((b) => only.length === 0 || only.includes(b.name.toLowerCase()));
  const lookup = async () => Promise.all(browsers.map((b) => find(b)));
  let found = await lookup();
  const problems = found.filter((f) => f && 'problem' in f);
  if (problems.length > 0) {
    console.error(problems.map((p) => p.problem).join(' '));
    process.exit(1);
  }
  let missing = browsers.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    const here = machine();
    const plan = installPlan(missing, here);
    if ('apt' in plan) {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      if (run('apt-get', ['update', '-qq'], env)) run('apt-get', ['install', '-y', '-qq', ...plan.apt], env);
    } else {
      for (const download of plan.downloads) run('npx', ['--yes', ...download]);
    }
    found = await lookup();
    missing = browsers.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) {
      console.error(whatToRun(missing, here));
      process.exit(1);
    }
  }
  found.forEach((f, i) => {
    console.log(`== ${browsers[i].name}: ${f.path} (${f.source})`);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
