import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import {
  downloadFiles,
  embedSnippet,
  exportScenario,
  importScenario,
  leaveLesson,
  scenarioLink,
} from '../store/actions';
import { useLab } from '../store/store';

/** Share what the class did: a link or a file that replays it on a fresh database; the database's own files. */
export function ScenarioPanel() {
  const { t } = useTranslation('ui');
  const [link, setLink] = useState('');
  const [snippet, setSnippet] = useState('');
  const [withScenario, setWithScenario] = useState(false);
  const open = useLab((s) => s.connection.status === 'open');
  return (
    <section className="panel scenario" aria-labelledby="scenario-title">
      <h2 id="scenario-title">{t('share.title')}</h2>
      <p className="explain">{t('share.explain')}</p>
      <div className="buttons">
        <button
          type="button"
          onClick={() => {
            const url = scenarioLink();
            setLink(url);
            navigator.clipboard?.writeText(url).catch(() => {});
          }}
        >
          {t('share.link')}
        </button>
        <button type="button" onClick={exportScenario}>
          {t('share.export')}
        </button>
        <label className="file-button">
          {t('share.import')}
          <input
            type="file"
            accept=".json,application/json"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              // A scenario replays on a database of its own: a lesson open now is left first, so that its card
              // does not go on driving the replay's engine and the class's session is given back.
              if (useLab.getState().lesson) await leaveLesson();
              await importScenario(await file.text());
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" disabled={!open} onClick={() => void downloadFiles()}>
          {t('share.download')}
        </button>
      </div>
      {link && (
        <label className="link">
          {t('share.linkLabel')}
          <input readOnly value={link} onFocus={(e) => e.target.select()} data-testid="scenario-link" />
        </label>
      )}
      <h3>{t('share.embed')}</h3>
      <p className="explain">
        <Trans t={t} i18nKey="share.embedExplain" components={{ code: <code /> }} />
      </p>
      <div className="buttons">
        <label className="check">
          <input type="checkbox" checked={withScenario} onChange={(e) => setWithScenario(e.target.checked)} />
          {t('share.fromScenario')}
        </label>
        <button
          type="button"
          onClick={() => {
            const html = embedSnippet(withScenario);
            setSnippet(html);
            navigator.clipboard?.writeText(html).catch(() => {});
          }}
        >
          {t('share.embed')}
        </button>
      </div>
      {snippet && (
        <label className="link">
          {t('share.embedLabel')}
          <textarea readOnly rows={4} value={snippet} onFocus={(e) => e.target.select()} data-testid="embed-snippet" />
        </label>
      )}
    </section>
  );
}
