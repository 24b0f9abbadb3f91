// SSTable layout constants. The byte-by-byte description is in engine/README.md ("SSTable"):
//
//   data block 0 | data block 1 | ... | index block | filter block | footer | trailer
//
// Every block is framed by block.ts (stored body | type u8 | checksum u32), optionally compressed.
//   data block body, version 1:  entry* | entry_count u32       (entries as in codec/entry.ts)
//   data block body, version 2:  prefix entry* | restart_offset u32 * restart_count | restart_count u32
//     prefix entry: shared varint32 | unshared varint32 | value_length varint32 | op u8 | sequence u64 |
//                   key bytes after the shared ones (unshared) | value               (prefix-block.ts)
//   index block body:  (first_key_length u32 | first_key | block_offset u32 | block_length u32)* | count u32
//   filter block body: bloom bits | k u8                         (bloom.ts; absent when the filter is off)
//   footer:  index_offset u32 | index_length u32 | filter_offset u32 | filter_length u32 | entry_count u32 |
//            block_count u32 | data_bytes u32 | smallest_seq u64 | largest_seq u64 |
//            smallest_length u32 | smallest | largest_length u32 | largest
//   trailer: footer_checksum u32 | footer_length u32 | version u32 | magic "LSMT" (16 bytes, always last)

export const SSTABLE_MAGIC = new Uint8Array([0x4c, 0x53, 0x4d, 0x54]); // "LSMT"
/** The format new tables are written in: 2, prefix-compressed data blocks. A reader still opens version 1. */
export const SSTABLE_VERSION = 2;
/** Version 1: data blocks of whole entries (codec/entry.ts) and an entry count. */
export const SSTABLE_VERSION_FLAT = 1;
/** Version 2: data blocks whose keys store only what they do not share with the key before (LevelDB's format). */
export const SSTABLE_VERSION_PREFIX = 2;
export const TRAILER_SIZE = 16;
/** The footer's fixed part, before the two keys. */
export const FOOTER_FIXED_SIZE = 44;
/** A data block is closed once its entries reach this many bytes (so one entry never splits). */
export const DEFAULT_BLOCK_SIZE = 4096;
/** Bloom filter bits per key; 0 turns the filter off. */
export const DEFAULT_BLOOM_BITS_PER_KEY = 10;
/** Version 2: every this many entries a key is stored whole (a restart point); a read binary-searches those. */
export const DEFAULT_RESTART_INTERVAL = 16;
