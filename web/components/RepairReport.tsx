import { useTranslation } from 'react-i18next';
import { useLab } from '../store/store';

/**
 * After Repair (LsmTree.repair): the tables kept, those it could not read (the engine's error, with file and
 * byte), each WAL's records recovered and lost, and the files set aside as lost-<name>.
 */
export function RepairReport() {
  const { t } = useTranslation('ui');
  const report = useLab((s) => s.repairReport);
  if (!report) return null;
  const lost = report.tablesLost.length + report.walRecordsLost;
  return (
    <section
      className={`report report-${lost === 0 ? 'ok' : 'bad'}`}
      aria-label={t('repair.label')}
      data-testid="repair-report"
    >
      <h3>{t('repair.title')}</h3>
      <p>
        <strong>
          {t('repair.summary', {
            kept: report.tablesKept.length,
            lost: report.tablesLost.length,
            recovered: report.walRecordsRecovered,
            walLost: report.walRecordsLost,
          })}
        </strong>{' '}
        {t('repair.manifest', { manifest: report.manifest })}
        {report.merged ? t('repair.merged') : ''}
        {t('repair.level0')}
      </p>
      <ul>
        {report.tablesKept.map((table) => (
          <li key={table.file}>
            {t('repair.kept', {
              file: table.file,
              count: table.entries,
              smallest: table.smallestSeq,
              largest: table.largestSeq,
            })}
          </li>
        ))}
        {report.tablesLost.map((table) => (
          <li key={table.file}>
            {t('repair.unreadable', { file: table.file, message: table.error.message })}
            {table.error.offset !== undefined ? t('repair.atByte', { offset: table.error.offset }) : ''}
            {t('repair.setAsideAs', { file: table.setAside })}
            {table.salvaged
              ? t('repair.salvaged', {
                  count: table.salvaged.entries,
                  table: table.salvaged.table,
                  lost: table.salvaged.blocksLost,
                  blocks: table.salvaged.blocks,
                })
              : t('repair.entriesLost')}
          </li>
        ))}
        {report.logs.map((log) => (
          <li key={log.file}>
            {t('repair.log', { file: log.file, count: log.records })}
            {log.table ? t('repair.into', { table: log.table }) : ''}
            {log.recordsLost > 0 || log.error
              ? t('repair.logLost', { count: log.recordsLost, message: log.error?.message ?? t('repair.damaged') })
              : log.tornTail
                ? t('repair.torn')
                : ''}
            .
          </li>
        ))}
        {report.setAside.length > 0 && <li>{t('repair.setAside', { files: report.setAside.join(', ') })}</li>}
      </ul>
    </section>
  );
}
