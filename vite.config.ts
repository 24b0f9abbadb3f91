import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The production build's Content-Security-Policy: scripts, workers, styles and data only from the app's own
 * origin, no plugins, and no network connections elsewhere but websockets: a class's relay is wherever the teacher
 * runs one (a setting, or the join link's `relay=`), and websockets are all a class uses. `'wasm-unsafe-eval'` lets the
 * Performance view's worker compile SQLite's WebAssembly (a policy sent as a header also governs workers).
 * Only in builds: the dev server injects inline styles and a websocket for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "manifest-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Who may frame the app: anyone. A <meta> policy cannot say so (browsers ignore `frame-ancestors` there), so
 * the build also writes `_headers`, the per-path header file that Netlify and Cloudflare Pages read, as a
 * worked example for any host that lets you set headers. Why anyone: the embed view (`?embed`) is the same
 * index.html as the full app, and a static host picks headers by path, never by query; and there is nothing to
 * clickjack (no account, no cookie, no server; framed on another site, the app's files sit in that site's own
 * partition of the visitor's storage). The README's "Deploy" section says the same for teachers.
 */
export const FRAME_ANCESTORS = 'frame-ancestors *';

function contentSecurityPolicy(): Plugin {
  return {
    name: 'lsm-lab-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      ),
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: `# Response headers for hosts that read this file (Netlify, Cloudflare Pages); see README.md, "Deploy".
/*
  Content-Security-Policy: ${CONTENT_SECURITY_POLICY}; ${FRAME_ANCESTORS}
  X-Content-Type-Options: nosniff
`,
      });
    },
  };
}

/** Where this build writes (dist/, or the --outDir given, as the benchmark does). */
let outDir = 'dist';
function rememberOutDir(): Plugin {
  return {
    name: 'lsm-lab-out-dir',
    configResolved: (config) => {
      outDir = resolve(config.root, config.build.outDir);
    },
  };
}

/**
 * SQLite's WebAssembly build and its glue (about 1 MB; only the Performance view runs it) stay out of the
 * precache: the worker caches them the first time they are fetched (the runtime route below).
 */
function onDemand(url: string): boolean {
  if (url.endsWith('.wasm') || /sqlite3/.test(url)) return true;
  // The chunk that bundles @sqlite.org/sqlite-wasm has a generated name but carries SQLite's license banner.
  return (
    url.endsWith('.js') && readFileSync(resolve(outDir, url), 'utf8').includes('LICENSE for the sqlite3 WebAssembly')
  );
}

// The app: web/ (React) talks to engine/worker (a module Worker that owns the OPFS files).
export default defineConfig({
  // Relative URLs everywhere: the same dist/ works at a domain's root and under any sub-path
  // (https://example.org/course/lsm-lab/), and the service worker's scope follows wherever it is served.
  base: './',
  plugins: [
    react(),
    rememberOutDir(),
    contentSecurityPolicy(),
    // Installable and offline after the first visit: a web app manifest and a Workbox service worker that
    // precaches the build. web/main.tsx registers ./sw.js itself (an injected inline script would break the CSP).
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icons/apple-touch-icon.png'],
      manifest: {
        id: './',
        name: 'LSM Lab',
        short_name: 'LSM Lab',
        description: 'Watch a real log-structured merge tree write, flush, crash and recover, on your own files.',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#1d4ed8',
        background_color: '#f8fafc',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The manifest and its icons are added by the plugin itself.
        globPatterns: ['**/*.{html,js,css}'],
        globIgnores: ['sw-legacy-cleanup.js'],
        manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => !onDemand(e.url)), warnings: [] })],
        // Any navigation (`./`, `./?embed&lesson=2`, `./#scenario=…`) opens the app, also offline.
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        importScripts: ['sw-legacy-cleanup.js'],
        sourcemap: false,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // What the precache left out (SQLite's files): cached when first fetched, then served from the cache.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/assets\/[^/]+\.(?:js|wasm)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'lsm-lab-on-demand', expiration: { maxEntries: 16 } },
          },
        ],
      },
    }),
  ],
  // The engine from its TypeScript sources (@lsm-lab/engine's "lsm-lab-source" export condition), not its built dist/:
  // what the lab runs is what the tests test, with no package build first.
  resolve: { conditions: ['lsm-lab-source', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
