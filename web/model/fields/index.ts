// Every byte of a database file, named: the hex inspector's parser. describeFile() splits a WAL, an SSTable or a
// manifest into fields (checksum, length, op, sequence, key, …), in file order, covering every byte exactly once,
// each with a label in plain words. The formats are the engine's (engine/README.md, "Files").
//
// Unlike the engine's readers, which stop at the first bad byte, this parser never throws: the inspector must show
// a torn tail, a flipped byte or a file that is still being written. A field whose bytes disagree with the rest
// (a checksum that does not match, an unknown op) carries a `problem`; bytes that cannot be parsed at all become a
// 'torn' field (a log's tail cut off mid-record: recovery drops it) or an 'unparsed' one.
//
// One file per format: wal.ts, manifest.ts and sstable.ts, over the framing the WAL and the manifest share (log.ts)
// and the entry codec all three use (entry.ts); field-list.ts and walker.ts are the building blocks.
import '../../i18n/fields';
import { type FileKind, parseFileName } from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import type { Field, Selection } from './field';
import { FieldList } from './field-list';
import { describeLog } from './log';
import { describeEditPayload } from './manifest';
import { describeSstable } from './sstable';
import { describeWalPayload } from './wal';

export { FIELD_KINDS, type Field, type FieldKind, fieldKindText, type Selection } from './field';

/** Which format a file name announces, as the engine names its files. */
export function fileKindOf(name: string): FileKind | undefined {
  return parseFileName(name)?.kind;
}

/**
 * The fields of a file's bytes, in order. Without a selection they cover every byte exactly once; with one, they
 * are exactly the fields of the whole description that the selection admits. Never throws.
 */
export function describeFile(name: string, bytes: Uint8Array, selection: Selection = {}): Field[] {
  const fields = new FieldList(bytes, selection);
  const kind = fileKindOf(name);
  if (kind === 'wal') describeLog(fields, describeWalPayload);
  else if (kind === 'manifest') describeLog(fields, describeEditPayload);
  else if (kind === 'sstable') describeSstable(fields);
  else fields.add(0, bytes.length, 'unparsed', t('fields:notOurs', { name }), t('fields:sstable.group.file'));
  return fields.finish();
}
