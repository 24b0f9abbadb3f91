// A static host such as a teacher would use, for the publishing e2e tests: it serves the production build
// (dist/) under a sub-path only (anything outside it is a 404, and recorded), with the response headers that
// dist/_headers asks for, as Netlify or Cloudflare Pages would send them. Plain node:http, on 127.0.0.1.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

export interface StaticHost {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** the app's address: origin + base */
  url: string;
  /** paths asked for that the host does not have (outside the sub-path, or missing from dist/) */
  misses: string[];
  close(): Promise<void>;
}

interface Rule {
  pattern: RegExp;
  headers: [string, string][];
}

/** Netlify's `_headers` format: a path (`*` matches anything) followed by indented `Name: value` lines. */
export function parseHeaders(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const source = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
      continue;
    }
    const colon = line.indexOf(':');
    rules.at(-1)?.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/**
 * @param base   the sub-path, with a slash at both ends ("/course/lsm-lab/")
 * @param pages  extra pages served outside the app, by exact path (a page that frames the app, say); a function
 *               gets the app's address
 */
export async function startStaticHost(options: {
  root?: string;
  base: string;
  pages?: Record<string, string | ((url: string) => string)>;
}): Promise<StaticHost> {
  const root = normalize(options.root ?? 'dist');
  const rules = parseHeaders(await readFile(join(root, '_headers'), 'utf8').catch(() => ''));
  const misses: string[] = [];
  let url = '';
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    const page = options.pages?.[path];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': TYPES['.html']! }).end(typeof page === 'string' ? page : page(url));
      return;
    }
    const inside = path.startsWith(options.base) ? `/${path.slice(options.base.length)}` : undefined;
    let file =
      inside === undefined ? undefined : normalize(join(root, inside.endsWith('/') ? `${inside}index.html` : inside));
    if (file !== undefined && !file.startsWith(root + sep)) file = undefined;
    const found = file !== undefined && (await stat(file).catch(() => undefined))?.isFile();
    if (!found || file === undefined || inside === undefined) {
      misses.push(path);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    for (const rule of rules)
      if (rule.pattern.test(inside)) for (const [name, value] of rule.headers) headers[name] = value;
    response.writeHead(200, headers).end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  url = origin + options.base;
  return {
    origin,
    url,
    misses,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
