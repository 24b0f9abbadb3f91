// The UI's languages: i18next with its React binding. Message files live in ./locales/<language>/<namespace>.json and
// are loaded on demand (one small chunk per language and namespace), so a language costs nothing until it is chosen.
// The language comes, in this order, from the address (`?lang=es`, so a shared link keeps it), the browser's saved
// choice, then the browser's own language; English when none of those is one we have.
//
// Namespaces: `ui` (components, store messages, class mode, the view's labels), `lessons` (the course), `model`
// (narration, explanations, pseudocode).
// Code outside React calls `t` from here; components call `useTranslation(ns)`.

import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
export const NAMESPACES = ['ui', 'lessons', 'model'] as const;

/** Starts i18next and loads the chosen language's messages; the app renders after it resolves. */
export function startI18n(): Promise<unknown> {
  return i18n
    .use(LanguageDetector)
    .use(resourcesToBackend((language: string, ns: string) => import(`./locales/${language}/${ns}.json`)))
    .use(initReactI18next)
    .init({
      supportedLngs: LANGUAGES.map((l) => l.code),
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      fallbackLng: 'en',
      ns: [...NAMESPACES],
      defaultNS: 'ui',
      interpolation: { escapeValue: false }, // React escapes.
      detection: {
        order: ['querystring', 'localStorage', 'navigator'],
        lookupQuerystring: 'lang',
        lookupLocalStorage: 'lsm-lab.lang',
        caches: ['localStorage'],
      },
      react: { useSuspense: false },
    });
}

/** The current language, one of LANGUAGES. */
export function language(): Language {
  const code = i18n.resolvedLanguage ?? 'en';
  return (LANGUAGES.some((l) => l.code === code) ? code : 'en') as Language;
}

export const t = i18n.t.bind(i18n);
export { i18n };
