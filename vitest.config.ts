import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, chromiumExecutable } from './test/chromium.ts';

// Two projects:
//  - unit:    Node, the engine on MemoryStorage (formats, memtable, recovery, properties)
//  - browser: real headless Chromium, the engine in a Worker on real OPFS files. It runs in a persistent
//             on-disk profile: the default off-the-record context keeps OPFS in memory and makes every
//             sync-handle call ~100x slower (docs/platform.md §2). Files then run one at a time.
// Both import @lsm-lab/engine from its TypeScript sources (its exports' "lsm-lab-source" condition), never its built
// dist/: in Node through Vite's server-side resolution, in the browser through its client-side one.
const sourceInNode = { ssr: { resolve: { conditions: ['lsm-lab-source', ...defaultServerConditions] } } };
const sourceInBrowser = { resolve: { conditions: ['lsm-lab-source', ...defaultClientConditions] } };

// No `api` option: in Vitest 5 it collides with the browser server's port.
export default defineConfig({
  test: {
    projects: [
      {
        ...sourceInNode,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/unit/i18n-setup.ts'],
        },
      },
      {
        ...sourceInBrowser,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
              persistentContext: 'node_modules/.cache/vitest-opfs-profile',
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
