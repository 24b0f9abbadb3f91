// CRC32C (Castagnoli), the checksum LevelDB, RocksDB, ext4 and iSCSI use. Written by hand because it
// is short and worth reading: a table-driven, reflected CRC with polynomial 0x82F63B78.
// Tested against the RFC 3720 (iSCSI) appendix B.4 vectors in test/unit/crc32c.test.ts.

const POLYNOMIAL = 0x82f63b78; // 0x1EDC6F41 bit-reversed, because this CRC processes bits low to high

/** TABLE[b] is the CRC of the single byte b: eight shift-and-maybe-xor steps done once, up front. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** Extend a running CRC with more bytes; start from 0. crc32c(b, crc32c(a)) === crc32c(a ++ b). */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0; // the register starts all ones ...
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0; // ... and the result is inverted, so that leading and trailing zeros still count
}
