// Repair, LevelDB's RepairDB: the crash lab deletes the manifest (the next open fails, and says why), and Repair
// builds a new one from the SSTables and WALs found, then opens. Its report (what was kept, what could not be
// read) goes to the store; every acknowledged write is then checked, as after Recover.

import { t } from '../../i18n';
import { useLab } from '../store';
import { connect } from './connection';
import { checkDurability } from './crash';
import { describeError, say } from './say';
import { live, session } from './session';

/** Closes the database and deletes its manifest; the open that follows fails, on the failed-open screen. */
export async function deleteManifest(): Promise<void> {
  const db = live();
  if (!db) return;
  let removed: string[];
  try {
    removed = await db.deleteManifest();
  } catch (error) {
    say(describeError(error), 'error');
    return;
  }
  // Files in the worker's memory go with it: hand them over to the next one, as a crash does.
  if (!session.persistent) session.memoryFiles = db.crashKeepingFiles();
  useLab.setState({ connection: { status: 'recovering' }, report: null, repairReport: null });
  await connect();
  if (useLab.getState().connection.status === 'failed') {
    say(() => t('ui:msg.repair.noOpen', { files: removed.join(', ') || t('ui:msg.repair.noManifest') }), 'error');
  } else if (useLab.getState().connection.status === 'open') {
    // Recovery starts a new database when no manifest is left and every other file is empty: nothing was lost.
    say(() => t('ui:msg.repair.empty', { files: removed.join(', ') }), 'info');
  }
}

/** LsmTree.repair in a new worker, then the acknowledged writes checked against what it kept. */
export async function repairDatabase(): Promise<void> {
  useLab.setState({ connection: { status: 'recovering' }, report: null, repairReport: null });
  await connect(true);
  const db = session.client;
  const repair = useLab.getState().repairReport;
  if (!db || !repair) return;
  const report = await checkDurability(db);
  const lost = repair.tablesLost.length + repair.walRecordsLost;
  useLab.setState({
    // The durability report calls a lost write an engine bug: after damage repair could not read, the repair
    // report (Crash lab) tells what was lost and why instead.
    report: lost === 0 ? report : null,
    message: {
      text: () =>
        t('ui:msg.repair.done', {
          kept: repair.tablesKept.length,
          lost: repair.tablesLost.length,
          recovered: repair.walRecordsRecovered,
          walLost: repair.walRecordsLost,
          found: report.found,
          acknowledged: report.acknowledged,
        }),
      tone: lost === 0 && report.missing.length === 0 ? 'ok' : 'error',
    },
  });
}
