// A page in a persistent Chromium profile, whose OPFS lives on disk. Playwright's default contexts are
// off-the-record: OPFS sits in memory and every sync-handle call costs 1-3 ms (docs/platform.md §2), which makes
// workloads of thousands of writes slow. Each test gets a fresh profile directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/chromium.ts';

export const test = base.extend<{ diskPage: Page }>({
  diskPage: async ({ baseURL }, use) => {
    const profile = mkdtempSync(join(tmpdir(), 'lsm-lab-e2e-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumExecutable(),
      args: CHROMIUM_ARGS,
      headless: true,
      baseURL,
      viewport: { width: 1366, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await use(page);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
