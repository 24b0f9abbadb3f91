import { useTranslation } from 'react-i18next';
import { downloadFiles, openSeparateDatabase, repairDatabase, reset, retryOpen, takeOver } from '../store/actions';
import { messageText } from '../store/actions/say';
import { useLab } from '../store/store';

/** What shows instead of the tree when it cannot be used here: held by another tab, handed over, or broken. */
export function StatusScreens() {
  const { t } = useTranslation('ui');
  const connection = useLab((s) => s.connection);
  const database = useLab((s) => s.database);
  const message = useLab((s) => s.message);
  if (connection.status === 'locked') {
    return (
      <section className="screen" data-testid="locked">
        <h2>{t('status.locked.title')}</h2>
        <p>{t('status.locked.body', { database })}</p>
        <div className="buttons">
          <button type="button" onClick={takeOver}>
            {t('status.locked.takeOver')}
          </button>
          <button type="button" onClick={() => void openSeparateDatabase()}>
            {t('status.locked.separate')}
          </button>
          <button type="button" onClick={() => void retryOpen()}>
            {t('status.tryAgain')}
          </button>
        </div>
        {message && <p role="status">{messageText(message)}</p>}
      </section>
    );
  }
  if (connection.status === 'released') {
    return (
      <section className="screen" data-testid="released">
        <h2>{t('status.released.title')}</h2>
        <p>{t('status.released.body', { database })}</p>
        <button type="button" onClick={takeOver}>
          {t('status.released.takeBack')}
        </button>
      </section>
    );
  }
  if (connection.status === 'failed') {
    return (
      <section className="screen screen-error" role="alert" data-testid="failed">
        <h2>{t('status.failed.title')}</h2>
        <p>{messageText({ text: connection.message })}</p>
        {connection.file && (
          <p>
            {t('status.failed.file')} <code>{connection.file}</code>
            {connection.offset !== undefined && (
              <>
                {t('status.failed.byte')} <code>{connection.offset}</code>
              </>
            )}
          </p>
        )}
        <p>{t('status.failed.body')}</p>
        <div className="buttons">
          <button type="button" onClick={() => void downloadFiles()}>
            {t('status.failed.download')}
          </button>
          <button type="button" onClick={() => void retryOpen()}>
            {t('status.tryAgain')}
          </button>
          <button type="button" onClick={() => void repairDatabase()}>
            {t('status.failed.repair')}
          </button>
          <button type="button" className="danger" onClick={() => void reset()}>
            {t('toolbar.reset')}
          </button>
        </div>
      </section>
    );
  }
  return null;
}
