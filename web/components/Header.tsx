import { setPresenter } from '../keyboard';
import { setSpeed } from '../store/actions';
import { type Speed, useLab } from '../store/store';

export function Header() {
  const speed = useLab((s) => s.speed);
  const connection = useLab((s) => s.connection);
  const database = useLab((s) => s.database);
  const presenter = useLab((s) => s.presenter);
  return (
    <header className="header">
      <div className="brand">
        <h1>LSM Lab</h1>
        <p>A real log-structured merge tree, writing real files in your browser.</p>
      </div>
      <div className="settings">
        <label>
          Animation speed
          <select value={speed} onChange={(e) => setSpeed(e.target.value as Speed)}>
            <option value="slow">Slow</option>
            <option value="normal">Normal</option>
            <option value="fast">Fast</option>
            <option value="instant">Instant</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={presenter} onChange={(e) => setPresenter(e.target.checked)} />
          Presenter mode
        </label>
        <button
          type="button"
          className="quiet"
          onClick={() => useLab.setState({ helpOpen: true })}
          aria-keyshortcuts="?"
        >
          Shortcuts (?)
        </button>
        {database !== 'lsm-lab' && <span className="badge">Database {database}</span>}
        <span className={`badge badge-${connection.status}`} data-testid="connection">
          {connection.status === 'open'
            ? connection.persistent
              ? 'On disk (OPFS)'
              : 'In memory only: not persistent'
            : connection.status}
        </span>
      </div>
    </header>
  );
}
