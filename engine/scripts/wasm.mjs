// `npm run wasm`: compiles engine/codec/crc32c.wat (WebAssembly text) with wabt and writes its bytes, in base64, to
// engine/codec/crc32c-wasm.ts, which the engine imports as it is (no loader or build step for the package, the lab
// or the tests). test/unit/engine/crc32c.test.ts compiles the .wat the same way and checks that the two agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';

const codec = join(import.meta.dirname, '..', 'codec');
const module = (await wabt()).parseWat('crc32c.wat', readFileSync(join(codec, 'crc32c.wat'), 'utf8'));
const { buffer } = module.toBinary({});
module.destroy();
const base64 = Buffer.from(buffer).toString('base64');
const lines = base64.match(/.{1,100}/g) ?? [];
writeFileSync(
  join(codec, 'crc32c-wasm.ts'),
  `// Generated from crc32c.wat by engine/scripts/wasm.mjs (\`npm run wasm\`): change the .wat, not this file.

/** crc32c.wat compiled: a WebAssembly module of ${buffer.length} bytes, in base64. */
export const CRC32C_WASM_BASE64 =
${lines.map((line, i) => `  '${line}'${i < lines.length - 1 ? ' +' : ';'}`).join('\n')}
`,
);
console.log(`engine/codec/crc32c-wasm.ts: ${buffer.length} bytes of WebAssembly`);
