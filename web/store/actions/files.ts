// The database's files as bytes: one file for the hex inspector, or all of them as a tar archive to download.
// Through the worker while it runs; straight from OPFS when it does not (after a crash, before Recover).

import { t } from '../../i18n';
import { useLab } from '../store';
import { describeError, say } from './say';
import { session } from './session';
import { tar } from './tar';

/**
 * One file's bytes as they are on storage now: through the worker, or, when the worker is gone (after a crash,
 * before Recover), straight from OPFS, so that a torn tail can be inspected before recovery cuts it off.
 */
export async function readDatabaseFile(name: string): Promise<Uint8Array> {
  if (session.client?.alive) return session.client.readFile(name);
  const root = await navigator.storage.getDirectory();
  const directory = await root.getDirectoryHandle(useLab.getState().database);
  const file = await (await directory.getFileHandle(name)).getFile();
  return new Uint8Array(await file.arrayBuffer());
}

/** Marks a key (lowercase hex) whose bytes the hex inspector highlights; null clears it. */
export function setHighlightKey(key: string | null): void {
  useLab.setState({ highlightKey: key });
}

/** Every file of the database, read from OPFS, in one tar archive: for a bug report, or to keep. */
export async function downloadFiles(): Promise<void> {
  const { database } = useLab.getState();
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  try {
    const client = session.client;
    if (client?.alive) {
      for (const { file } of await client.files()) files.push({ name: file, bytes: await client.readFile(file) });
    } else {
      const root = await navigator.storage.getDirectory();
      const directory = await root.getDirectoryHandle(database);
      for await (const [name, handle] of directory.entries()) {
        if (handle.kind !== 'file') continue;
        const blob = await (handle as FileSystemFileHandle).getFile();
        files.push({ name, bytes: new Uint8Array(await blob.arrayBuffer()) });
      }
    }
  } catch (error) {
    say(() => t('ui:msg.files.unreadable', { error: describeError(error) }), 'error');
    return;
  }
  const archive = tar(files.map((f) => ({ name: `${database}/${f.name}`, bytes: f.bytes })));
  const url = URL.createObjectURL(new Blob([archive as BlobPart], { type: 'application/x-tar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${database}.tar`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(() => t('ui:msg.files.downloaded', { count: files.length, database }), 'ok');
}
