// CRC32C in real Chromium: the WebAssembly loop (crc32c.wat) compiles here, and gives the JavaScript loop's values.
// (In a worker, the engine's own, every block an OPFS test reads is checked by it too.)
import { describe, expect, it } from 'vitest';
import { crc32cAccelerated, crc32cOf, crc32cPortable } from '../../engine/codec/crc32c';

describe('crc32c in the browser', () => {
  it('uses the WebAssembly loop from 512 bytes on, with the JavaScript loop’s values', () => {
    expect(crc32cAccelerated()).toBe(true);
    const bytes = Uint8Array.from({ length: 200_003 }, (_, i) => Math.imul(i, 2654435761) >>> 24);
    for (const [start, end] of [
      [0, 512],
      [3, 4146],
      [1, 65_539],
      [7, 200_003],
    ] as const) {
      expect(crc32cOf(bytes, start, end, 0x5eed)).toBe(crc32cPortable(bytes, start, end, 0x5eed));
    }
  });
});
