import { useTranslation } from 'react-i18next';
import { loadStudent } from '../class/load';
import { tally } from '../class/protocol';
import { showCode } from '../class/room';
import { useClass } from '../class/store';
import { openDock } from '../layout/dock';

/**
 * A class in one line: on the projector, the code and how many follow; on a student's device, whether it follows
 * the teacher, and the one button that detaches or comes back. One line whatever it says: the picture below never
 * moves for it.
 */
export function ClassBadge({ where }: { where: 'toolbar' | 'player' }) {
  const { t } = useTranslation('ui');
  const role = useClass((s) => s.role);
  const mode = useClass((s) => s.mode);
  // A following student's engine buttons would all be disabled: the badge takes their place (on a phone, the bar
  // at the bottom of the screen). Otherwise it sits in the player's row, where the database's name would be.
  const inToolbar = role === 'student' && (mode === 'following' || mode === 'catching-up');
  const code = useClass((s) => s.code);
  const online = useClass((s) => s.online);
  const following = useClass((s) => tally(s.states, null).following);
  if (role === null || (where === 'toolbar') !== inToolbar) return null;
  if (role === 'teacher')
    return (
      <button
        type="button"
        className="class-badge teaching"
        onClick={() => openDock('class')}
        data-testid="class-badge"
      >
        {t('class.badge.teaching', { code: code ? showCode(code) : '', count: following })}
      </button>
    );
  if (role !== 'student') return null;
  const words = {
    following: t('class.badge.following'),
    'catching-up': t('class.badge.catchingUp'),
    exploring: t('class.badge.exploring'),
    ended: t('class.badge.ended'),
  }[mode];
  return (
    <div className={`class-badge ${mode}`} data-testid="class-badge" aria-live="polite">
      <span className={`class-dot ${online ? 'online' : ''}`} aria-hidden="true" />
      <span className="class-words">{words}</span>
      <ClassSwitch />
    </div>
  );
}

/** A student's one button: detach to explore, or come back to the class. */
export function ClassSwitch() {
  const { t } = useTranslation('ui');
  const mode = useClass((s) => s.mode);
  if (mode === 'ended') return null;
  return mode === 'exploring' ? (
    <button type="button" onClick={() => void loadStudent().then((m) => m.backToClass())}>
      {t('class.backToClass')}
    </button>
  ) : (
    <button
      type="button"
      className="quiet"
      disabled={mode === 'catching-up'}
      onClick={() => void loadStudent().then((m) => m.explore())}
    >
      {t('class.explore')}
    </button>
  );
}
