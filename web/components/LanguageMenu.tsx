import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, language, setLanguage } from '../i18n';

/**
 * The UI's language: a menu in Settings, and a compact one in the toolbar's More menu. Each language is named in
 * itself (a Spanish speaker looks for "Español", whatever the page says now).
 */
export function LanguageMenu({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation('ui');
  // Read through i18n so that the menu re-renders when the language changes elsewhere (the other menu).
  const current = i18n.resolvedLanguage ? language() : 'en';
  return (
    <label className={compact ? 'language-menu compact' : 'language-menu'}>
      {t('language.label')}
      <select
        value={current}
        data-testid={compact ? 'language-menu-compact' : 'language-menu'}
        onChange={(e) => void setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
