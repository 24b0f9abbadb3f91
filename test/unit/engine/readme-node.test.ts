// engine/README.md's Node example ("Use it in your own app"), run as written on the engine's sources: the page a
// newcomer copies from must run. Only its import line is replaced, by the same names taken from the engine.
// (e2e/package.spec.ts runs it unchanged, with Node, on the packed and installed package.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/** The engine's exports by name (what the example's import line names). */
const engine: Record<string, unknown> = await import('../../../engine');
const readme = readFileSync(join(import.meta.dirname, '../../../engine/README.md'), 'utf8');
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;

it('TheReadmesNodeExampleRuns', async () => {
  const example = /```js\n([\s\S]*?)```/.exec(readme.split('\n## ')[1]!)![1]!;
  const importLine = /^import \{([^}]+)\} from '@lsm-lab\/engine';\n/m.exec(example)!;
  const names = importLine[1]!.split(',').map((name) => name.trim());
  const printed: unknown[] = [];
  const run = new AsyncFunction(...names, 'console', example.replace(importLine[0], ''));
  await run(...names.map((name) => engine[name]), {
    log: (line: unknown) => printed.push(line),
  });
  expect(printed).toEqual(['Alice']);
});
