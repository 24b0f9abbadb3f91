// The engine package's "./inspect" entry (@lsm-lab/engine/inspect): the byte formats, for code that reads the
// engine's files itself (the lab's hex inspector, web/model/fields/) or takes its steps apart (the benchmark's
// get breakdown, bench/src/lsm.ts). Each export is documented where it is defined.
export { OP_BATCH } from './codec/batch';
export { encodeEntry, entrySize, OP_DELETE, OP_PUT } from './codec/entry';
export { readVarint32 } from './codec/varint';
export { type FileKind, manifestName, parseFileName, sstableName, walName } from './filenames';
export { checkedPayloadLength, frameRecord, MAX_RECORD_PAYLOAD, RECORD_HEADER_SIZE } from './log/format';
export { findValidRecordAfter, readLog } from './log/reader';
export { orderForReads } from './manifest/version';
export { BLOCK_DEFLATE, BLOCK_FRAME_SIZE, BLOCK_RAW, frameBlock, parseDataBlock, unframeBlock } from './sstable/block';
export { bloomMayContain, buildBloom, hash32 } from './sstable/bloom';
export { SstableBuilder } from './sstable/builder';
export {
  FOOTER_FIXED_SIZE,
  SSTABLE_MAGIC,
  SSTABLE_VERSION,
  SSTABLE_VERSION_FLAT,
  SSTABLE_VERSION_PREFIX,
  TRAILER_SIZE,
} from './sstable/format';
