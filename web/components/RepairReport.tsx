import { useLab } from '../store/store';

/**
 * After Repair (LsmTree.repair): the tables kept, those it could not read (the engine's error, with file and
 * byte), each WAL's records recovered and lost, and the files set aside as lost-<name>.
 */
export function RepairReport() {
  const report = useLab((s) => s.repairReport);
  if (!report) return null;
  const lost = report.tablesLost.length + report.walRecordsLost;
  return (
    <section
      className={`report report-${lost === 0 ? 'ok' : 'bad'}`}
      aria-label="Repair report"
      data-testid="repair-report"
    >
      <h3>After the last repair</h3>
      <p>
        <strong>
          SSTables kept: {report.tablesKept.length}. Lost: {report.tablesLost.length}. WAL records recovered:{' '}
          {report.walRecordsRecovered}. Lost: {report.walRecordsLost}.
        </strong>{' '}
        A new manifest, {report.manifest}, names every table kept
        {report.merged
          ? ' (merged first: they shared keys with interleaved sequence numbers, which level 0 cannot order)'
          : ''}
        , all in level 0.
      </p>
      <ul>
        {report.tablesKept.map((t) => (
          <li key={t.file}>
            Kept {t.file}: {t.entries} entries, sequence numbers {t.smallestSeq} to {t.largestSeq}.
          </li>
        ))}
        {report.tablesLost.map((t) => (
          <li key={t.file}>
            Could not read {t.file}: {t.error.message}
            {t.error.offset !== undefined ? ` (byte ${t.error.offset})` : ''}. Set aside as {t.setAside}
            {t.salvaged
              ? `; the ${t.salvaged.entries} entries of its readable blocks went into ${t.salvaged.table}, ${t.salvaged.blocksLost} of ${t.salvaged.blocks} blocks lost.`
              : '; its entries are lost.'}
          </li>
        ))}
        {report.logs.map((log) => (
          <li key={log.file}>
            {log.file}: {log.records} records recovered{log.table ? ` into ${log.table}` : ''}
            {log.recordsLost > 0 || log.error
              ? `; ${log.recordsLost} after a bad record lost (${log.error?.message ?? 'damaged'})`
              : log.tornTail
                ? '; a torn last record (never acknowledged) dropped'
                : ''}
            .
          </li>
        ))}
        {report.setAside.length > 0 && <li>Set aside (copied, for a closer look): {report.setAside.join(', ')}.</li>}
      </ul>
    </section>
  );
}
