import { useState } from 'react';
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
  const [link, setLink] = useState('');
  const [snippet, setSnippet] = useState('');
  const [withScenario, setWithScenario] = useState(false);
  const open = useLab((s) => s.connection.status === 'open');
  return (
    <section className="panel scenario" aria-labelledby="scenario-title">
      <h2 id="scenario-title">Share</h2>
      <p className="explain">
        A scenario is the settings and every operation since the last reset or since this page opened (puts, gets,
        flushes, crashes, crash points). Opening its link replays it on a fresh, empty database, step by step.
      </p>
      <div className="buttons">
        <button
          type="button"
          onClick={() => {
            const url = scenarioLink();
            setLink(url);
            navigator.clipboard?.writeText(url).catch(() => {});
          }}
        >
          Link to this scenario
        </button>
        <button type="button" onClick={exportScenario}>
          Export scenario file
        </button>
        <label className="file-button">
          Import scenario file
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
          Download the database files
        </button>
      </div>
      {link && (
        <label className="link">
          Scenario link (copied to the clipboard where the browser allows)
          <input readOnly value={link} onFocus={(e) => e.target.select()} data-testid="scenario-link" />
        </label>
      )}
      <h3>Embed</h3>
      <p className="explain">
        The live picture in slides or a course page: an iframe of the embed view (picture, caption, a compact toolbar),
        800×450, working on a database of its own. Add <code>&amp;lesson=N</code> to open a lesson beside it.
      </p>
      <div className="buttons">
        <label className="check">
          <input type="checkbox" checked={withScenario} onChange={(e) => setWithScenario(e.target.checked)} />
          Start from this scenario
        </label>
        <button
          type="button"
          onClick={() => {
            const html = embedSnippet(withScenario);
            setSnippet(html);
            navigator.clipboard?.writeText(html).catch(() => {});
          }}
        >
          Embed
        </button>
      </div>
      {snippet && (
        <label className="link">
          Embed code (copied to the clipboard where the browser allows)
          <textarea readOnly rows={4} value={snippet} onFocus={(e) => e.target.select()} data-testid="embed-snippet" />
        </label>
      )}
    </section>
  );
}
