// Keyboard shortcuts for a teacher at the front of the room (a presenter remote sends arrows and Space).
// They never fire while typing in a field, and never with Ctrl, Alt or Cmd held.
import { t } from './i18n';
import { setHelpOpen, setPresenter } from './store/actions/screen';
import { crash, flush, insertRandom, recover, setSpeed, stepBack, stepForward, togglePlaying } from './store/later';
import { type Speed, useLab } from './store/store';

export const SHORTCUTS: Array<{ keys: string; what: () => string }> = [
  { keys: 'Space', what: () => t('ui:shortcuts.playPause') },
  { keys: '← / →', what: () => t('ui:shortcuts.step') },
  { keys: '+ / −', what: () => t('ui:shortcuts.speed') },
  { keys: 'i', what: () => t('ui:shortcuts.insert') },
  { keys: 'f', what: () => t('ui:shortcuts.flush') },
  { keys: 'c', what: () => t('ui:shortcuts.crash') },
  { keys: 'r', what: () => t('ui:shortcuts.recover') },
  { keys: 'p', what: () => t('ui:shortcuts.presenter') },
  { keys: '?', what: () => t('ui:shortcuts.help') },
];

const SPEEDS: Speed[] = ['slow', 'normal', 'fast', 'instant'];

export function installShortcuts(): void {
  // A button clicked with the mouse lets go of the focus: otherwise a presenter remote's Space (play / pause) would
  // press that button again. Buttons reached with the keyboard keep it, and Space presses them as it should.
  window.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement | null)?.closest('button');
    if (button && event.detail > 0) button.blur();
  });
  window.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, select, textarea, [contenteditable="true"]')) return;
    const state = useLab.getState();
    if (state.helpOpen && event.key === 'Escape') {
      setHelpOpen(false);
      return;
    }
    const open = state.connection.status === 'open';
    const speedIndex = SPEEDS.indexOf(state.speed);
    switch (event.key) {
      case ' ':
        // Space on a focused button presses it; elsewhere it plays and pauses.
        if (target?.closest('button, a, summary')) return;
        togglePlaying();
        break;
      case 'ArrowRight':
        stepForward();
        break;
      case 'ArrowLeft':
        stepBack();
        break;
      case '+':
      case '=':
        setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, speedIndex + 1)]!);
        break;
      case '-':
      case '_':
        setSpeed(SPEEDS[Math.max(0, speedIndex - 1)]!);
        break;
      case 'i':
        if (open) void insertRandom();
        break;
      case 'f':
        if (open) void flush();
        break;
      case 'c':
        if (open) void crash();
        break;
      case 'r':
        if (state.connection.status === 'crashed') void recover();
        break;
      case 'p':
        setPresenter(!state.presenter);
        break;
      case '?':
        setHelpOpen(!state.helpOpen);
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}
