// The benchmark page: bench/index.html + a dedicated module Worker per task (bench/src/worker.ts), built by
// Vite like the app. The engine comes from ../engine, as the app uses it. The page is cross-origin
// isolated (COOP/COEP), so performance.now() in the workers is not coarsened to 0.1 ms (docs/platform.md §10).
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const isolated = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  // The engine's TypeScript sources (its exports' "lsm-lab-source" condition), as the app builds them.
  resolve: { conditions: ['lsm-lab-source', ...defaultClientConditions] },
  worker: { format: 'es' },
  // sqlite-wasm finds its .wasm with new URL(..., import.meta.url): pre-bundling would break that in dev.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  // Not minified: --profile names the engine's own functions. (V8 runs the two alike.)
  build: { target: 'es2022', outDir: 'dist/page', emptyOutDir: true, sourcemap: false, minify: false },
  server: { host: '127.0.0.1', port: 4180, headers: isolated },
  preview: { host: '127.0.0.1', port: 4180, headers: isolated },
});
