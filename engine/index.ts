// The engine's public surface. Byte formats, recovery rules and guarantees: engine/README.md.
export { compareBytes, decodeUtf8, fromHex, toHex, utf8 } from './bytes';
export { crc32c } from './codec/crc32c';
export { ErrorCode, LsmError } from './errors';
export type { EngineEvent, EngineEventBody, EngineEventType, EventListener, FileInfo, Op, SstableMeta } from './events';
export { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits';
export { MemoryStorage } from './storage/memory';
export type { Storage, StorageFile } from './storage/storage';
export { DEFAULT_MEMTABLE_BYTES, type Lookup, type LsmOptions, LsmTree, type TreeState } from './tree';
