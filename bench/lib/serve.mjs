// Build and serve: the app exactly as `npm run build` makes it and the benchmark page, both on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { log } from './log.mjs';

/**
 * Builds the app (into `LSM_BENCH_APP_DIR` or bench/dist/app) and the benchmark page; returns the app's output
 * directory. `unminified`: readable function names in the main thread's profile (--profile=ui).
 */
export async function buildAll(root, benchDir, unminified) {
  // LSM_BENCH_APP_DIR: build the app elsewhere (two runs at once, or a UI probe serving bench/dist/app).
  const appOut = process.env.LSM_BENCH_APP_DIR ?? join(benchDir, 'dist', 'app');
  log('building the app (vite build) and the benchmark page');
  // The app exactly as `npm run build` makes it, in its own process: a production build whatever this
  // process's NODE_ENV (Vite's module runner sets it to 'development', which would bundle React's dev build).
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      appOut,
      '--emptyOutDir',
      '--logLevel',
      'error',
      // --profile=ui: readable function names in the main thread's profile (the size figure is then skipped).
      ...(unminified ? ['--minify', 'false'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'warn' });
  return appOut;
}

export async function serve(root, benchDir, appOut) {
  const bench = await preview({
    configFile: join(benchDir, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 4180, strictPort: false, open: false },
  });
  const app = await preview({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: appOut },
    preview: { host: '127.0.0.1', port: 4181, strictPort: false, open: false },
  });
  return { bench, app, benchUrl: bench.resolvedUrls.local[0], appUrl: app.resolvedUrls.local[0] };
}
