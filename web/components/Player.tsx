import { useTranslation } from 'react-i18next';
import { useClass } from '../class/store';
import { t } from '../i18n';
import { setHelpOpen, setPresenter } from '../store/actions/screen';
import { usePending } from '../store/hooks';
import {
  catchUp,
  seek,
  setSpeed,
  setStartPaused,
  setStepBy,
  stepBack,
  stepForward,
  togglePlaying,
} from '../store/later';
import { type Connection, type Speed, useLab } from '../store/store';
import { ClassBadgeSlot } from './ClassBadgeSlot';

/**
 * The slim player under the toolbar: step back / play / step, the scrubber over every step the engine took, the
 * animation speed, and the switches a presenter reaches for (presenter mode, shortcuts). Its settings (step by,
 * start paused) sit in a small menu.
 */
export function Player() {
  const playing = useLab((s) => s.playing);
  const speed = useLab((s) => s.speed);
  const presenter = useLab((s) => s.presenter);
  const connection = useLab((s) => s.connection);
  const database = useLab((s) => s.database);
  const classRole = useClass((s) => s.role);
  const inLesson = useLab((s) => s.lesson !== null);
  const { t } = useTranslation('ui');
  // A boolean, not the positions: the bar re-renders when Back is enabled or disabled, not on every batch of events
  // (Step, the scrubber and the count, which follow every one, are components of their own).
  const atStart = useLab((s) => s.cursor <= s.base);
  return (
    <section className="player" aria-label={t('player.label')}>
      <div className="transport">
        <button
          type="button"
          onClick={stepBack}
          disabled={atStart}
          aria-keyshortcuts="ArrowLeft"
          aria-label={t('player.stepBack')}
        >
          ◀<span className="long"> {t('player.back')}</span>
        </button>
        <button type="button" onClick={togglePlaying} aria-keyshortcuts="Space" data-testid="play">
          {playing ? `❚❚ ${t('player.pause')}` : `▶ ${t('player.play')}`}
        </button>
        <StepForward />
      </div>
      <Position />
      <label className="inline speed">
        <span>
          <span className="visually-hidden">{t('player.animation')} </span>
          {t('player.speed')}
        </span>
        <select value={speed} onChange={(e) => setSpeed(e.target.value as Speed)}>
          <option value="slow">{t('player.slow')}</option>
          <option value="normal">{t('player.normal')}</option>
          <option value="fast">{t('player.fast')}</option>
          <option value="instant">{t('player.instant')}</option>
        </select>
      </label>
      <label className="check presenter-switch">
        <input type="checkbox" checked={presenter} onChange={(e) => setPresenter(e.target.checked)} />
        {t('player.presenter')}
        <span className="long"> {t('player.mode')}</span>
      </label>
      <PlayerOptions />
      <button
        type="button"
        className="quiet"
        onClick={() => setHelpOpen(true)}
        aria-keyshortcuts="?"
        aria-label={t('player.shortcuts')}
      >
        ?
      </button>
      {/* A lesson's card says it runs on a database of its own (and the player keeps to one line). */}
      {classRole ? (
        <ClassBadgeSlot where="player" />
      ) : (
        database !== 'lsm-lab' && !inLesson && <span className="badge">{t('player.database', { database })}</span>
      )}
      <span className={`badge badge-${connection.status}`} data-testid="connection">
        {connection.status === 'open'
          ? connection.persistent
            ? t('player.onDisk')
            : t('player.inMemory')
          : connectionStatus(connection.status)}
      </span>
    </section>
  );
}

/** Step: disabled once every step is shown, enabled by each batch of events while one streams in. */
function StepForward() {
  const { t } = useTranslation('ui');
  const atEnd = useLab((s) => s.cursor >= s.base + s.history.length);
  return (
    <button
      type="button"
      onClick={stepForward}
      disabled={atEnd}
      aria-keyshortcuts="ArrowRight"
      aria-label={t('player.stepForward')}
    >
      <span className="long">{t('player.step')} </span>▶
    </button>
  );
}

/**
 * The scrubber, the step count and Catch up: the part of the player that follows every batch of events (several a
 * second during a workload), a component of its own so that the rest of the bar is not rendered again with it.
 */
function Position() {
  const cursor = useLab((s) => s.cursor);
  const base = useLab((s) => s.base);
  const end = useLab((s) => s.base + s.history.length);
  const pending = usePending();
  const { t } = useTranslation('ui');
  const stepOf = t('player.stepOf', { cursor, end });
  return (
    <>
      <label className="scrub">
        <span className="visually-hidden">{t('player.position')}</span>
        <input
          type="range"
          min={base}
          max={Math.max(base, end)}
          value={cursor}
          onChange={(e) => seek(Number(e.target.value))}
          aria-valuetext={stepOf}
        />
      </label>
      <span className="position" data-testid="position">
        {stepOf}
        {pending > 0 && ` · ${t('player.toShow', { count: pending })}`}
      </span>
      {/* Always laid out, shown only when steps wait: the bar keeps its width, so nothing in it moves or wraps. */}
      <button
        type="button"
        className={`quiet catch-up ${pending > 0 ? '' : 'idle'}`}
        onClick={catchUp}
        aria-hidden={pending === 0}
        tabIndex={pending > 0 ? 0 : -1}
      >
        {t('player.catchUp')}
      </button>
    </>
  );
}

/** How Step moves, and whether new steps wait for the teacher. */
function PlayerOptions() {
  const { t } = useTranslation('ui');
  const stepBy = useLab((s) => s.stepBy);
  const startPaused = useLab((s) => s.startPaused);
  return (
    <details className="more-menu player-options">
      <summary>{t('player.options')}</summary>
      <div className="menu-body">
        <label>
          {t('player.stepBy')}
          <select value={stepBy} onChange={(e) => setStepBy(e.target.value as 'event' | 'operation')}>
            <option value="event">{t('player.ioStep')}</option>
            <option value="operation">{t('player.operation')}</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={startPaused} onChange={(e) => setStartPaused(e.target.checked)} />
          {t('player.startPaused')}
        </label>
      </div>
    </details>
  );
}

/** The connection's state on its badge, in words (the e2e specs read the English ones). */
function connectionStatus(status: Exclude<Connection['status'], 'open'>): string {
  switch (status) {
    case 'starting':
      return t('ui:player.status.starting');
    case 'locked':
      return t('ui:player.status.locked');
    case 'released':
      return t('ui:player.status.released');
    case 'crashed':
      return t('ui:player.status.crashed');
    case 'recovering':
      return t('ui:player.status.recovering');
    case 'failed':
      return t('ui:player.status.failed');
  }
}
