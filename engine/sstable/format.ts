// SSTable layout constants. The byte-by-byte description is in engine/README.md ("SSTable"):
//
//   data block 0 | data block 1 | ... | index block | filter block | footer | trailer
//
//   data block:  entry* | entry_count u32 | checksum u32          (entries as in codec/record.ts)
//   index block: (first_key_length u32 | first_key | block_offset u32 | block_length u32)* | count u32 | checksum u32
//   filter block: empty in format version 1 (the bloom filter goes here)
//   footer:      index_offset u32 | index_length u32 | filter_offset u32 | filter_length u32 |
//                entry_count u32 | block_count u32 | smallest_length u32 | smallest | largest_length u32 | largest
//   trailer:     footer_checksum u32 | footer_length u32 | version u32 | magic "LSMT" (16 bytes, always last)
//
// Every checksum is CRC32C over the bytes before it in the same block (for the footer: the footer).

export const SSTABLE_MAGIC = new Uint8Array([0x4c, 0x53, 0x4d, 0x54]); // "LSMT"
export const SSTABLE_VERSION = 1;
export const TRAILER_SIZE = 16;
/** entry_count u32 + checksum u32 at the end of each data block and of the index block. */
export const BLOCK_TRAILER_SIZE = 8;
/** A data block is closed once it holds at least this many bytes (so one entry never splits). */
export const DEFAULT_BLOCK_SIZE = 4096;
