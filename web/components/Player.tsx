import { useClass } from '../class/store';
import { setSpeed } from '../store/actions';
import { setHelpOpen, setPresenter } from '../store/actions/screen';
import { usePending } from '../store/hooks';
import { catchUp, seek, setStartPaused, setStepBy, stepBack, stepForward, togglePlaying } from '../store/player';
import { type Speed, useLab } from '../store/store';
import { ClassBadge } from './ClassBadge';

/**
 * The slim player under the toolbar: step back / play / step, the scrubber over every step the engine took, the
 * animation speed, and the switches a presenter reaches for (presenter mode, shortcuts). Its settings (step by,
 * start paused) sit in a small menu.
 */
export function Player() {
  const playing = useLab((s) => s.playing);
  const cursor = useLab((s) => s.cursor);
  const base = useLab((s) => s.base);
  const end = useLab((s) => s.base + s.history.length);
  const speed = useLab((s) => s.speed);
  const presenter = useLab((s) => s.presenter);
  const connection = useLab((s) => s.connection);
  const database = useLab((s) => s.database);
  const classRole = useClass((s) => s.role);
  const inLesson = useLab((s) => s.lesson !== null);
  const pending = usePending();
  return (
    <section className="player" aria-label="Timeline player">
      <div className="transport">
        <button
          type="button"
          onClick={stepBack}
          disabled={cursor <= base}
          aria-keyshortcuts="ArrowLeft"
          aria-label="Step back"
        >
          ◀<span className="long"> Back</span>
        </button>
        <button type="button" onClick={togglePlaying} aria-keyshortcuts="Space" data-testid="play">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          onClick={stepForward}
          disabled={cursor >= end}
          aria-keyshortcuts="ArrowRight"
          aria-label="Step forward"
        >
          <span className="long">Step </span>▶
        </button>
      </div>
      <label className="scrub">
        <span className="visually-hidden">Timeline position</span>
        <input
          type="range"
          min={base}
          max={Math.max(base, end)}
          value={cursor}
          onChange={(e) => seek(Number(e.target.value))}
          aria-valuetext={`step ${cursor} of ${end}`}
        />
      </label>
      <span className="position" data-testid="position">
        step {cursor} of {end}
        {pending > 0 && ` · ${pending} to show`}
      </span>
      {/* Always laid out, shown only when steps wait: the bar keeps its width, so nothing in it moves or wraps. */}
      <button
        type="button"
        className={`quiet catch-up ${pending > 0 ? '' : 'idle'}`}
        onClick={catchUp}
        aria-hidden={pending === 0}
        tabIndex={pending > 0 ? 0 : -1}
      >
        Catch up
      </button>
      <label className="inline speed">
        <span>
          <span className="visually-hidden">Animation </span>Speed
        </span>
        <select value={speed} onChange={(e) => setSpeed(e.target.value as Speed)}>
          <option value="slow">Slow</option>
          <option value="normal">Normal</option>
          <option value="fast">Fast</option>
          <option value="instant">Instant</option>
        </select>
      </label>
      <label className="check presenter-switch">
        <input type="checkbox" checked={presenter} onChange={(e) => setPresenter(e.target.checked)} />
        Presenter<span className="long"> mode</span>
      </label>
      <PlayerOptions />
      <button
        type="button"
        className="quiet"
        onClick={() => setHelpOpen(true)}
        aria-keyshortcuts="?"
        aria-label="Shortcuts (?)"
      >
        ?
      </button>
      {/* A lesson's card says it runs on a database of its own (and the player keeps to one line). */}
      {classRole ? (
        <ClassBadge where="player" />
      ) : (
        database !== 'lsm-lab' && !inLesson && <span className="badge">Database {database}</span>
      )}
      <span className={`badge badge-${connection.status}`} data-testid="connection">
        {connection.status === 'open'
          ? connection.persistent
            ? 'On disk (OPFS)'
            : 'In memory only: not persistent'
          : connection.status}
      </span>
    </section>
  );
}

/** How Step moves, and whether new steps wait for the teacher. */
function PlayerOptions() {
  const stepBy = useLab((s) => s.stepBy);
  const startPaused = useLab((s) => s.startPaused);
  return (
    <details className="more-menu player-options">
      <summary>Player</summary>
      <div className="menu-body">
        <label>
          Step by
          <select value={stepBy} onChange={(e) => setStepBy(e.target.value as 'event' | 'operation')}>
            <option value="event">I/O step</option>
            <option value="operation">Operation</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={startPaused} onChange={(e) => setStartPaused(e.target.checked)} />
          Start paused
        </label>
      </div>
    </details>
  );
}
