// Starting a new manifest: MANIFEST-n holding one snapshot record (an edit that adds every live SSTable). Used at
// open (a manifest of many records) and while running (a manifest past its size threshold), so that the manifest
// stays about as big as the state it describes instead of growing for a whole session.
//
// Crash-safe without a rename: recovery takes the newest manifest whose first record is whole. Until the
// snapshot record is flushed, a crash leaves a new manifest with no whole record, which recovery skips (and
// deletes): the old one still rules. Once it is flushed, both describe the same state, and the old one is deleted.
import { manifestName } from '../filenames';
import { cutBackAfter } from '../log/writer';
import { openFile, removeFile } from '../storage/io';
import type { Storage } from '../storage/storage';
import type { VersionEdit } from './edit';
import type { Version } from './version';
import { ManifestWriter } from './writer';

export interface RolledManifest {
  manifest: ManifestWriter;
  /** The snapshot record written: the version as one edit. */
  edit: VersionEdit;
  offset: number;
  length: number;
}

/**
 * Writes and flushes MANIFEST-n with the version as one edit (its snapshot record); the caller then closes and
 * deletes the old one. If that record cannot be written, the new file is removed and the error goes up: the old manifest still
 * rules. (A LogAppendError whose cutBack is false: the record may be on storage after all; the caller must stop
 * committing to the old manifest, which recovery might no longer read.)
 */
export async function startManifest(storage: Storage, version: Version): Promise<RolledManifest> {
  const number = version.nextFileNumber++;
  const name = manifestName(number);
  const manifest = new ManifestWriter(await openFile(storage, name, { create: true }), name, 0, 0);
  const edit = version.asEdit();
  try {
    const written = manifest.commit(edit);
    return { manifest, edit, ...written };
  } catch (error) {
    manifest.close();
    if (cutBackAfter(error, 'manifest') !== false) {
      await removeFile(storage, name).catch(() => {});
    }
    throw error;
  }
}

/**
 * Whether a manifest should be rolled over: once it is past `minimumBytes` and more than 4 times the snapshot
 * record that would replace it, so that it stays within a small multiple of the state it describes.
 */
export function shouldRoll(manifestBytes: number, snapshotBytes: number, minimumBytes: number): boolean {
  return manifestBytes >= minimumBytes && manifestBytes > 4 * snapshotBytes;
}
