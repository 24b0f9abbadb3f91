// A key as the panels show it, and a button: pressing it asks the hex inspector to highlight the key's bytes
// in the file it shows (pressing it again lets go).

import { openDock } from '../layout/dock';
import { showBytes } from '../model/display';
import { setHighlightKey } from '../store/later';
import { useLab } from '../store/store';

export function KeyButton({ hex, max }: { hex: string; max: number }) {
  const pressed = useLab((s) => s.highlightKey === hex);
  return (
    <button
      type="button"
      className={`key key-button${pressed ? ' pressed' : ''}`}
      aria-pressed={pressed}
      title="Highlight this key's bytes in the hex inspector"
      onClick={() => {
        setHighlightKey(pressed ? null : hex);
        if (!pressed) openDock('files');
      }}
    >
      {showBytes(hex, max)}
    </button>
  );
}
