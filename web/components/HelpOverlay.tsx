import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from '../keyboard';
import { setHelpOpen } from '../store/actions/screen';
import { useLab } from '../store/store';

/** The keyboard shortcuts, on "?": a modal dialog that Escape or its button closes. */
export function HelpOverlay() {
  const { t } = useTranslation('ui');
  const open = useLab((s) => s.helpOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="help" aria-labelledby="help-title" onClose={() => setHelpOpen(false)}>
      <h2 id="help-title">{t('help.title')}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="explain">{t('help.typing')}</p>
      <button type="button" onClick={() => setHelpOpen(false)}>
        {t('help.close')}
      </button>
    </dialog>
  );
}
