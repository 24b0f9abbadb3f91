import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setRelay, useClass } from '../class/store';

/** The relay classes go through: `npm run class-server` starts one (README, Deploy). */
export function RelayField() {
  const { t } = useTranslation('ui');
  const relay = useClass((s) => s.relay);
  const [text, setText] = useState(relay ?? '');
  const [bad, setBad] = useState(false);
  return (
    <form
      className="relay-field"
      onSubmit={(e) => {
        e.preventDefault();
        setBad(!setRelay(text));
      }}
    >
      <label>
        {t('relay.label')}
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="ws://127.0.0.1:1234"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={bad}
        />
      </label>
      <button type="submit">{t('relay.use')}</button>
      <p className="explain">{bad ? t('relay.bad') : relay ? t('relay.through', { relay }) : t('relay.none')}</p>
    </form>
  );
}
