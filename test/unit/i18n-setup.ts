// The web model's sentences come from the message files through i18next: unit tests read them in English, loaded
// synchronously here (the app loads them on demand in the browser, see web/i18n/index.ts).
import { i18n } from '../../web/i18n';
import lessons from '../../web/i18n/locales/en/lessons.json';
import model from '../../web/i18n/locales/en/model.json';
import ui from '../../web/i18n/locales/en/ui.json';

if (!i18n.isInitialized)
  await i18n.init({
    lng: 'en',
    fallbackLng: 'en',
    ns: ['ui', 'lessons', 'model'],
    defaultNS: 'ui',
    resources: { en: { ui, lessons, model } },
    interpolation: { escapeValue: false },
  });
