// When the browser denies the lab storage: a frame on another site (a course page, an LMS, slides) while
// third-party storage is blocked (Safari, Brave, Chrome with third-party cookies blocked), where OPFS, Web Locks and
// localStorage all throw SecurityError. The engine then runs in memory; on the first click the page asks for storage
// with the Storage Access API (it needs a user's gesture), and reopens on disk if the browser now allows it.

import { t } from '../../i18n';
import { useLab } from '../store';
import { say } from './say';
import { session } from './session';

let listening = false;

/**
 * The engine opened in memory because storage is denied here: say so, and ask for access on the first click.
 * `reopen` opens the engine again once access is granted (connection.ts passes its own connect: this module sits
 * below it).
 */
export function storageDenied(reopen: () => Promise<void>): void {
  if (useLab.getState().storageDenied === null) useLab.setState({ storageDenied: 'not-asked' });
  if (listening || useLab.getState().storageDenied !== 'not-asked') return;
  listening = true;
  // Capture: the click also does what it was for (a Put goes to the engine in memory); the request rides on its
  // gesture, which requestStorageAccess() requires.
  document.addEventListener('click', () => void askForStorage(reopen), { capture: true, once: true });
}

async function askForStorage(reopen: () => Promise<void>): Promise<void> {
  if (typeof document.requestStorageAccess !== 'function' || typeof document.hasStorageAccess !== 'function') {
    useLab.setState({ storageDenied: 'refused' });
    return;
  }
  useLab.setState({ storageDenied: 'asking' });
  try {
    // Already granted and still denied: asking again changes nothing.
    if (await document.hasStorageAccess()) throw new Error('granted already');
    await document.requestStorageAccess();
  } catch {
    useLab.setState({ storageDenied: 'refused' });
    return;
  }
  // Granted. Whether that lets this frame store files differs between browsers (Chromium still throws: see
  // docs/platform.md §12): look first, and keep the engine in memory, with what the class did there, unless OPFS
  // really opens now. What was done in memory stays behind when it does (it was never on a disk).
  try {
    await navigator.storage.getDirectory();
  } catch {
    useLab.setState({ storageDenied: 'refused' });
    return;
  }
  if (useLab.getState().lesson !== null) {
    // A lesson's database is set up by the lesson, in memory here: switching now would lose its setup. Ask again on
    // a click after the lesson.
    useLab.setState({ storageDenied: 'not-asked' });
    listening = false;
    storageDenied(reopen);
    return;
  }
  session.memoryFiles = undefined;
  session.oracle.clear();
  session.inDoubt = 0;
  session.recorded = [];
  useLab.setState({ connection: { status: 'starting' } });
  await reopen();
  if (useLab.getState().storageDenied === 'asking') useLab.setState({ storageDenied: 'refused' });
  else if (session.persistent) say(() => t('ui:msg.storageAllowed'), 'ok');
}
