// The engine is a package (engine/package.json, @lsm-lab/engine): the lab (web/) and the benchmark (bench/) reach
// it only through its exports, never by a path into its files. A deep import would make the engine's file layout
// part of their contract; this keeps it the engine's own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const engine = JSON.parse(readFileSync(join(root, 'engine/package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'results' ? [] : sources(path);
    return /\.(ts|tsx|mts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or with import(), or hands to new URL(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'|new URL\(\s*'([^']+)'/g)) found.push(m[1] ?? m[2]!);
  return found;
}

describe('The engine is a package', () => {
  const entries = Object.keys(engine.exports)
    .filter((e) => e !== './package.json')
    .map((e) => (e === '.' ? engine.name : `${engine.name}/${e.slice(2)}`));

  it('WebAndBenchImportOnlyItsExports', () => {
    const deep: string[] = [];
    for (const dir of ['web', 'bench']) {
      for (const file of sources(join(root, dir))) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          const intoEngine = /(^|\/)engine(\/|$)/.test(spec) && spec.startsWith('.');
          const deepInPackage = spec.startsWith(`${engine.name}/`) && !entries.includes(spec);
          if (intoEngine || deepInPackage) deep.push(`${relative(root, file)}: '${spec}'`);
        }
      }
    }
    expect(deep, 'import the engine through @lsm-lab/engine and its entries').toEqual([]);
  });

  it('ItsEntriesExist', () => {
    for (const target of Object.values(engine.exports)) {
      const path = typeof target === 'string' ? target : (target as { 'lsm-lab-source': string })['lsm-lab-source'];
      expect(statSync(join(root, 'engine', path)).isFile(), path).toBe(true);
    }
  });

  // The repository runs the sources ("lsm-lab-source"); an installed package runs dist/, built from the same file
  // (engine/scripts/build.mjs; the packed package's test is e2e/package.spec.ts).
  it('ItsBuiltEntriesMirrorItsSources', () => {
    for (const [entry, target] of Object.entries(engine.exports)) {
      if (typeof target === 'string') continue;
      const { 'lsm-lab-source': source, types, default: built } = target as Record<string, string>;
      const stem = source!.replace(/^\.\//, './dist/').replace(/\.ts$/, '');
      expect({ entry, types, built }).toEqual({ entry, types: `${stem}.d.ts`, built: `${stem}.js` });
    }
  });
});
