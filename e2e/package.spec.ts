// The engine as another app installs it (engine/README.md, "Use it in your own app"): `npm pack` in engine/, the
// tarball installed into a fresh minimal Vite app made here in a temporary directory, the app typechecked against
// the package's declarations, built by Vite and served on 127.0.0.1, and run in Chromium with OPFS on disk. The
// install is offline-friendly: the app's one other dependency, fflate, comes from the npm cache that installing
// this repository filled (--prefer-offline), and Vite and tsc are this repository's own, not installed again.
// It does its own set-up (Playwright's webServer, the lab, is not used).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { build, createServer, type PreviewServer, preview, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/chromium.ts';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'engine/README.md'), 'utf8');
/** The README's code blocks in "Use it in your own app": the worker, the page, Node. */
const [workerExample, pageExample, nodeExample] = [
  ...readme.split('\n## ')[1]!.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g),
].map((m) => m[1]!) as [string, string, string];

// A child npm must not take this run's npm settings (`npm test` exports its prefix and workspace as npm_config_*),
// and no child may take its Node options: `npm run test:e2e` resolves this repository's packages to their sources
// (--conditions=lsm-lab-source), which the tarball does not hold.
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => name !== 'NODE_OPTIONS' && (!/^npm_/i.test(name) || /^npm_config_(cache|registry)$/i.test(name)),
  ),
);
const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS'));
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The app's own worker: put, close, reopen, get on OPFS; or only get, in a worker started afterwards. */
const DB_WORKER = `import { LsmTree } from '@lsm-lab/engine';
import { OpfsStorage } from '@lsm-lab/engine/storage';

const encoder = new TextEncoder();
const open = async () => LsmTree.open(await OpfsStorage.open('package-test'));

self.onmessage = async (event: MessageEvent<{ key: string; value: string | null }>) => {
  try {
    const { key, value } = event.data;
    if (value !== null) {
      const db = await open();
      await db.put(encoder.encode(key), encoder.encode(value));
      await db.close();
    }
    const db = await open();
    const stored = await db.get(encoder.encode(key));
    await db.close();
    const files: string[] = [];
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('package-test');
    for await (const name of directory.keys()) files.push(name);
    self.postMessage({ value: stored ? new TextDecoder().decode(stored) : null, files: files.sort() });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
`;

/**
 * The app's worker filling a small memtable four times with nobody listening: the engine starts its own flush worker
 * from the package (dist/flush-worker.js, bundled by the app's Vite) and writes each full memtable's table there.
 */
const FLUSH_WORKER = `import { LsmTree, WriteBatch } from '@lsm-lab/engine';
import { OpfsStorage } from '@lsm-lab/engine/storage';

const key = (i: number) => new TextEncoder().encode('key' + String(i).padStart(5, '0'));
self.onmessage = async () => {
  try {
    await OpfsStorage.destroy('flush-test');
    const db = await LsmTree.open(await OpfsStorage.open('flush-test'), { memtableBytes: 64 * 1024 });
    let frozen = 0;
    for (let i = 0; i < 256; i += 16) {
      const batch = new WriteBatch();
      for (let j = i; j < i + 16; j++) batch.put(key(j), new Uint8Array(1024).fill(j & 0xff));
      await db.write(batch);
      if ((await db.property('num-immutable-mem-table')) === '1') frozen++;
    }
    await db.waitForBackgroundWork();
    let read = 0;
    for (let i = 0; i < 256; i++) if ((await db.get(key(i)))?.[1023] === (i & 0xff)) read++;
    const { flushes, flushesByWorker } = await db.stats();
    await db.close();
    self.postMessage({ frozen, read, flushes, flushesByWorker });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
`;

const MAIN = `import { LsmClient } from '@lsm-lab/engine/worker';

/** Starts a worker, sends it one message, and answers its first reply. */
function ask(worker: Worker, message: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(message);
  });
}

async function withClient(key: string, value: string) {
  const { client, result } = await LsmClient.open('client-test', { memtableBytes: 64 * 1024 }, () => {});
  if (result.status !== 'open') throw new Error(result.status);
  await client.put(new TextEncoder().encode(key), new TextEncoder().encode(value));
  const got = await client.get(new TextEncoder().encode(key));
  await client.close();
  return { persistent: result.persistent, value: got.value && new TextDecoder().decode(got.value) };
}

function readmeWorker(key: string, value: string) {
  // The README's page code, its worker the README's worker.
  return new Promise((resolve) => {
    const console = { log: resolve };
${pageExample
  .replace('./db-worker.ts', './readme-worker.ts')
  .replace("'user:1', value: 'Alice'", 'key, value')
  .replace(/^/gm, '    ')}  });
}

const db = (key: string, value: string | null) =>
  ask(new Worker(new URL('./db-worker.ts', import.meta.url), { type: 'module' }), { key, value });
const flushes = () => ask(new Worker(new URL('./flush-test-worker.ts', import.meta.url), { type: 'module' }), {});
Object.assign(window, { demo: { db, withClient, readmeWorker, flushes } });
document.body.dataset.ready = 'yes';
`;

let dir: string;
let app: string;
let packed: { files: { path: string }[]; filename: string };
let server: PreviewServer;
let context: BrowserContext;
/** The app, in a persistent profile: OPFS on disk, as a visitor's is (e2e/fixtures.ts says why). */
let page: Page;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'lsm-lab-package-'));
  app = join(dir, 'my-app');
  // prepack builds dist/ (engine/scripts/build.mjs); --json's report follows the build's own output.
  const out = npm(['pack', '--json', '--pack-destination', dir], join(root, 'engine'));
  packed = JSON.parse(out.slice(out.indexOf('[\n')))[0];

  mkdirSync(join(app, 'src'), { recursive: true });
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'my-app',
      private: true,
      type: 'module',
      dependencies: { '@lsm-lab/engine': `file:${join(dir, packed.filename)}` },
    }),
    'index.html':
      '<!doctype html>\n<meta charset="utf-8" />\n<title>My app</title>\n<script type="module" src="/src/main.ts"></script>\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable'],
        strict: true,
        noEmit: true,
        types: [],
      },
      include: ['src'],
    }),
    'src/main.ts': MAIN,
    'src/db-worker.ts': DB_WORKER,
    'src/flush-test-worker.ts': FLUSH_WORKER,
    'src/readme-worker.ts': workerExample,
    'node-example.mjs': nodeExample,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);

  await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir: 'dist' } });
  server = await preview({ root: app, configFile: false, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.resolvedUrls!.local[0]!);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'yes');
});

test.afterAll(async () => {
  await context?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('TheTarballHoldsItsBuildAndDependsOnlyOnItsOwnDependencies', () => {
  const paths = packed.files.map((f) => f.path);
  expect(paths.filter((p) => !/^dist\/.+\.(js|d\.ts)$/.test(p)).sort()).toEqual([
    'LICENSE',
    'README.md',
    'package.json',
  ]);
  expect(paths).toContain('dist/worker/worker.js');
  expect(paths).toContain('dist/flush-worker.js');
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/@lsm-lab/engine/package.json'), 'utf8'));
  expect(installed.dependencies).toEqual({ fflate: '0.8.3' });
  expect(installed.devDependencies ?? {}).toEqual({});
});

test('ItsDeclarationsTypecheckTheAppsCode', () => {
  // tsc exits non-zero, and execFileSync throws with its report, on any type error.
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], {
    encoding: 'utf8',
    env: plainEnv,
  });
});

/** Calls the page's window.demo[method] (src/main.ts above) and answers what it resolves with. */
function demo(method: 'db' | 'withClient' | 'readmeWorker' | 'flushes', ...args: Array<string | null>) {
  return demoOn(page, method, ...args);
}

function demoOn(
  on: Page,
  method: 'db' | 'withClient' | 'readmeWorker' | 'flushes',
  ...args: Array<string | null>
): Promise<unknown> {
  return on.evaluate(
    ([name, values]) => {
      const api = (window as unknown as { demo: Record<string, (...a: unknown[]) => Promise<unknown>> }).demo;
      return api[name]!(...values);
    },
    [method, args] as const,
  );
}

test('AnLsmTreeOnOpfsInTheAppsWorkerKeepsAPutAcrossCloseAndReopen', async () => {
  const value = `Alice ${Date.now()}`;
  // One worker: open, put, close, open again, get.
  expect(await demo('db', 'user:1', value)).toEqual({
    value,
    files: expect.arrayContaining([expect.stringMatching(/^MANIFEST-\d+$/), expect.stringMatching(/^\d+\.log$/)]),
  });
  // A new worker, a new LsmTree: the value comes back from the files on OPFS.
  expect(await demo('db', 'user:1', null)).toMatchObject({ value });
});

test('ATreeInTheAppsWorkerFlushesOffTheWritePathThroughThePackagesFlushWorker', async () => {
  // 256 records of ~1 KiB through a 64 KiB memtable: four switches, each table built by the flush worker and
  // committed, every key read back; and the writes went on while a frozen memtable was still being flushed.
  const result = (await demo('flushes')) as {
    frozen: number;
    read: number;
    flushes: number;
    flushesByWorker: number;
    error?: string;
  };
  expect(result.error).toBeUndefined();
  expect(result.read).toBe(256);
  expect(result.flushes).toBe(4);
  expect(result.flushesByWorker).toBe(4);
  expect(result.frozen).toBeGreaterThan(0);
});

test('LsmClientRunsTheEnginesOwnWorkerFromThePackage', async () => {
  expect(await demo('withClient', 'k', 'v')).toEqual({ persistent: true, value: 'v' });
});

test('TheReadmesBrowserExampleRuns', async () => {
  expect(await demo('readmeWorker', 'user:1', 'Alice')).toBe('Alice');
});

test('TheReadmesNodeExampleRunsOnTheInstalledPackage', () => {
  const out = execFileSync(process.execPath, ['node-example.mjs'], { cwd: app, encoding: 'utf8', env: plainEnv });
  expect(out.trim()).toBe('Alice');
});

test.describe('UnderTheAppsViteDevServer', () => {
  // `vite` (dev) serves the app's modules one by one and pre-bundles its dependencies into node_modules/.vite/deps:
  // the engine's `new Worker(new URL(...))` calls (LsmClient's worker, the flush worker) must still find their
  // scripts there, with no configuration in the app.
  let dev: ViteDevServer;
  let devPage: Page;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dev = await createServer({
      root: app,
      configFile: false,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await dev.listen();
    // The optimizer finds the app's dependencies from index.html, whose imports do not lead into its workers; a
    // dependency first seen in a worker makes it bundle again and reload the page, as any app's first `vite` run
    // would. Transforming the workers' modules first lets it find them all before the page opens.
    for (const worker of ['db-worker.ts', 'flush-test-worker.ts', 'readme-worker.ts']) {
      await dev.transformRequest(`/src/${worker}`);
    }
    await dev.waitForRequestsIdle();
    devPage = await context.newPage();
    await devPage.goto(dev.resolvedUrls!.local[0]!);
    await expect(devPage.locator('body')).toHaveAttribute('data-ready', 'yes');
  });

  test.afterAll(async () => {
    await devPage?.close();
    await dev?.close();
  });

  test('TheAppsWorkerKeepsAPut', async () => {
    const value = `Bob ${Date.now()}`;
    expect(await demoOn(devPage, 'db', 'user:2', value)).toMatchObject({ value });
  });

  test('TheFlushWorkerWritesTheTables', async () => {
    // The engine the page runs is the optimizer's bundle of it, not the package's files served one by one.
    expect(readdirSync(join(app, 'node_modules/.vite/deps'))).toContain('@lsm-lab_engine.js');
    expect(await demoOn(devPage, 'flushes')).toMatchObject({ read: 256, flushes: 4, flushesByWorker: 4 });
  });

  test('LsmClientRunsTheEnginesWorker', async () => {
    expect(await demoOn(devPage, 'withClient', 'k2', 'v2')).toEqual({ persistent: true, value: 'v2' });
  });
});
