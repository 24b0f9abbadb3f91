import { downloadFiles, openSeparateDatabase, repairDatabase, reset, retryOpen, takeOver } from '../store/actions';
import { useLab } from '../store/store';

/** What shows instead of the tree when it cannot be used here: held by another tab, handed over, or broken. */
export function StatusScreens() {
  const connection = useLab((s) => s.connection);
  const database = useLab((s) => s.database);
  const message = useLab((s) => s.message);
  if (connection.status === 'locked') {
    return (
      <section className="screen" data-testid="locked">
        <h2>This database is open in another tab</h2>
        <p>
          The database “{database}” is held by another tab of LSM Lab. One writer at a time keeps the files consistent:
          two engines appending to the same WAL would corrupt it. You can ask the other tab to hand it over (it closes
          the database cleanly first), or work on a separate database of your own.
        </p>
        <div className="buttons">
          <button type="button" onClick={takeOver}>
            Take over
          </button>
          <button type="button" onClick={() => void openSeparateDatabase()}>
            Open a separate database
          </button>
          <button type="button" onClick={() => void retryOpen()}>
            Try again
          </button>
        </div>
        {message && <p role="status">{message.text}</p>}
      </section>
    );
  }
  if (connection.status === 'released') {
    return (
      <section className="screen" data-testid="released">
        <h2>Handed over to another tab</h2>
        <p>
          This tab closed the database “{database}” cleanly (its memtable is safe in the WAL) so that another tab could
          open it. Only one tab writes at a time.
        </p>
        <button type="button" onClick={takeOver}>
          Take it back
        </button>
      </section>
    );
  }
  if (connection.status === 'failed') {
    return (
      <section className="screen screen-error" role="alert" data-testid="failed">
        <h2>The database could not be opened</h2>
        <p>{connection.message}</p>
        {connection.file && (
          <p>
            File: <code>{connection.file}</code>
            {connection.offset !== undefined && (
              <>
                , byte <code>{connection.offset}</code>
              </>
            )}
          </p>
        )}
        <p>
          Nothing was changed. You can keep the files (download them for a closer look, or a bug report), then start
          over with an empty database. Or repair it: a new manifest is built from the SSTables and WALs that can still
          be read (LevelDB's RepairDB), and what cannot be read is set aside and reported.
        </p>
        <div className="buttons">
          <button type="button" onClick={() => void downloadFiles()}>
            Download the files
          </button>
          <button type="button" onClick={() => void retryOpen()}>
            Try again
          </button>
          <button type="button" onClick={() => void repairDatabase()}>
            Repair
          </button>
          <button type="button" className="danger" onClick={() => void reset()}>
            Reset database
          </button>
        </div>
      </section>
    );
  }
  return null;
}
