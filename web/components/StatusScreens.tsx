import { DATABASE_NAME, reset, retryOpen } from '../store/actions';
import { useLab } from '../store/store';

/** What shows instead of the tree when it cannot be opened here: held by another tab, or failed to open. */
export function StatusScreens() {
  const connection = useLab((s) => s.connection);
  if (connection.status === 'locked') {
    return (
      <section className="screen" data-testid="locked">
        <h2>This database is open in another tab</h2>
        <p>
          The database “{DATABASE_NAME}” is held by another tab of LSM Lab. One writer at a time keeps the files
          consistent: two engines appending to the same WAL would corrupt it. Close the other tab, then try again.
        </p>
        <button type="button" onClick={() => void retryOpen()}>
          Try again
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
        <div className="buttons">
          <button type="button" onClick={() => void retryOpen()}>
            Try again
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
