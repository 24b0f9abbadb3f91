// A minimal POSIX ustar writer, enough for downloadFiles: any tar or archive tool opens what it writes.
// Pure (bytes in, bytes out), so it needs neither the browser nor the engine.

/** A 512-byte header per file, then its bytes padded to 512; two zero blocks end the archive. */
export function tar(files: Array<{ name: string; bytes: Uint8Array }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const field = (header: Uint8Array, at: number, length: number, text: string) =>
    header.set(encoder.encode(text).subarray(0, length), at);
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  for (const file of files) {
    const header = new Uint8Array(512);
    field(header, 0, 100, file.name);
    field(header, 100, 8, octal(0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(file.bytes.length, 12));
    field(header, 136, 12, octal(Math.floor(Date.now() / 1000), 12));
    // The checksum is summed with its own field as eight spaces, then written in.
    field(header, 148, 8, '        ');
    header[156] = 0x30; // '0': a regular file
    field(header, 257, 6, 'ustar');
    field(header, 263, 2, '00');
    const sum = header.reduce((total, byte) => total + byte, 0);
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, file.bytes, new Uint8Array((512 - (file.bytes.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}
