// Draws the app's icons (public/icons/*.png): the favicon's three bars, a memtable over two disk levels, on a
// dark tile. No image tool needed: the pixels are computed here and written as PNG with node:zlib.
//   node scripts/icons.mjs        (rewrites the files; they are committed, so builds do not run this)
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TILE = [0x0f, 0x17, 0x2a];
const AMBER = [0xf5, 0x9e, 0x0b];
const BLUE = [0x3b, 0x82, 0xf6];
// The bars in a 16-unit square, as in index.html's favicon: x, y, width, height, colour.
const BARS = [
  [1, 2, 14, 3, AMBER],
  [1, 7, 10, 3, BLUE],
  [1, 12, 6, 3, BLUE],
];

/** Coverage of pixel (px, py) by a shape, by 4×4 supersampling (smooth rounded corners). */
function cover(inside, px, py) {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(px + (i + 0.5) / 4, py + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function roundedRect(x, y, w, h, r) {
  return (px, py) => {
    if (px < x || py < y || px > x + w || py > y + h) return false;
    const cx = Math.min(Math.max(px, x + r), x + w - r);
    const cy = Math.min(Math.max(py, y + r), y + h - r);
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
  };
}

/**
 * @param size   the icon's side in pixels
 * @param inset  the fraction of the side left free around the bars (maskable icons keep them in the safe zone)
 * @param radius the tile's corner radius as a fraction of the side (0: full bleed, as maskable icons must be)
 */
function draw(size, inset, radius) {
  const rgba = new Uint8Array(size * size * 4);
  const tile = roundedRect(0, 0, size, size, radius * size);
  const unit = (size * (1 - 2 * inset)) / 16;
  const origin = size * inset;
  const bars = BARS.map(([x, y, w, h, colour]) => ({
    inside: roundedRect(origin + x * unit, origin + y * unit, w * unit, h * unit, unit * 0.6),
    colour,
  }));
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const alpha = cover(tile, px, py);
      let rgb = TILE;
      for (const bar of bars) {
        const c = cover(bar.inside, px, py);
        if (c > 0) rgb = rgb.map((v, k) => Math.round(v * (1 - c) + bar.colour[k] * c));
      }
      rgba.set([...rgb, Math.round(alpha * 255)], (py * size + px) * 4);
    }
  }
  return png(size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), draw(192, 0.14, 0.18));
writeFileSync(new URL('icon-512.png', dir), draw(512, 0.14, 0.18));
// Maskable: full bleed, the bars inside the central circle of 80 % that every mask keeps.
writeFileSync(new URL('maskable-512.png', dir), draw(512, 0.24, 0));
writeFileSync(new URL('apple-touch-icon.png', dir), draw(180, 0.16, 0));
