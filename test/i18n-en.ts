// The web model's sentences come from the message files through i18next. Tests that call the model outside the
// app (unit tests, and e2e specs that compute what a page should say) read them in English, loaded here
// synchronously (the app loads them on demand in the browser, see web/i18n/index.ts).
import { i18n } from '../web/i18n';
import fields from '../web/i18n/locales/en/fields.json' with { type: 'json' };
import lessons from '../web/i18n/locales/en/lessons.json' with { type: 'json' };
import model from '../web/i18n/locales/en/model.json' with { type: 'json' };
import ui from '../web/i18n/locales/en/ui.json' with { type: 'json' };

// web/i18n starts i18next at once in Node with English ui; the course's, the model's and the fields' messages join it
// here (web/i18n/model.ts and fields.ts add theirs too, for the modules that say them).
if (i18n.isInitialized) {
  i18n.addResourceBundle('en', 'lessons', lessons, true, true);
  i18n.addResourceBundle('en', 'model', model, true, true);
  i18n.addResourceBundle('en', 'fields', fields, true, true);
} else
  void i18n.init({
    lng: 'en',
    fallbackLng: 'en',
    ns: ['ui', 'lessons', 'model', 'fields'],
    defaultNS: 'ui',
    resources: { en: { ui, lessons, model, fields } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
