// How the screen shows things, not what the engine does: presenter mode and the shortcuts' help. Both are kept in
// the store (presenter mode for the next visit too: see store.ts's persist).
import { useLab } from '../store';

export function setPresenter(on: boolean): void {
  useLab.setState({ presenter: on });
}

export function setHelpOpen(open: boolean): void {
  useLab.setState({ helpOpen: open });
}
