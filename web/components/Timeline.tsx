import { seek, stepBack, stepForward, togglePlaying } from '../store/player';
import { readSetting, useLab, usePending, writeSetting } from '../store/store';

/** The player's controls: play / pause, step back and forward, scrub through every step the engine took. */
export function Timeline() {
  const playing = useLab((s) => s.playing);
  const cursor = useLab((s) => s.cursor);
  const base = useLab((s) => s.base);
  const end = useLab((s) => s.base + s.history.length);
  const stepBy = useLab((s) => s.stepBy);
  const pending = usePending();
  return (
    <section className="timeline" aria-label="Timeline player">
      <div className="buttons">
        <button type="button" onClick={stepBack} disabled={cursor <= base} aria-keyshortcuts="ArrowLeft">
          ◀ Step back
        </button>
        <button type="button" onClick={togglePlaying} aria-keyshortcuts="Space" data-testid="play">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" onClick={stepForward} disabled={cursor >= end} aria-keyshortcuts="ArrowRight">
          Step ▶
        </button>
      </div>
      <label className="field scrub">
        Timeline position
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
      <label className="field">
        Step by
        <select value={stepBy} onChange={(e) => useLab.setState({ stepBy: e.target.value as 'event' | 'operation' })}>
          <option value="event">I/O step</option>
          <option value="operation">Operation</option>
        </select>
      </label>
      <StartPaused />
    </section>
  );
}

function StartPaused() {
  const initial = readSetting('startPaused', 'false') === 'true';
  return (
    <label className="check">
      <input
        type="checkbox"
        defaultChecked={initial}
        onChange={(e) => writeSetting('startPaused', String(e.target.checked))}
      />
      Start paused
    </label>
  );
}
