// The package build (`npm run build -w @lsm-lab/engine`, run by prepack): tsc writes ES modules and declarations to
// dist/, then every relative module specifier gets its file's extension. The sources import './batch' (the
// bundler resolution the lab and tests use), but Node's ES modules resolve only full paths, and the worker that
// LsmClient starts is named by its source file ('./worker.ts'); after this step dist/ runs in Node and in any
// bundler. It also checks that dist/ imports no package but the engine's own dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const engine = join(import.meta.dirname, '..');
const dist = join(engine, 'dist');
const manifest = JSON.parse(readFileSync(join(engine, 'package.json'), 'utf8'));

// A clean dist/: a file that no longer has a source must not ship.
rmSync(dist, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(engine, 'tsconfig.build.json')], { stdio: 'inherit' });

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Static imports and re-exports, import() (also in declarations' import types), and new URL(…, import.meta.url).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(['"])([^'"\s]+)\2/g;
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
const problems = [];

for (const file of files(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (match, before, quote, specifier) => {
    if (!specifier.startsWith('.')) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!dependencies.has(name)) problems.push(`${relative(engine, file)}: '${specifier}' is not a dependency`);
      return match;
    }
    const base = specifier.replace(/\.(ts|js)$/, '');
    const target = [`${base}.js`, `${base}/index.js`].find((s) => existsSync(join(dirname(file), s)));
    if (!target) problems.push(`${relative(engine, file)}: '${specifier}' names no file in dist/`);
    return `${before}${quote}${target ?? specifier}${quote}`;
  });
  if (fixed !== text) writeFileSync(file, fixed);
}

if (problems.length > 0) {
  console.error(`engine build:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
