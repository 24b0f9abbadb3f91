// The UI's languages: i18next with its React binding. Message files live in ./locales/<language>/<namespace>.json.
// English `ui` is bundled (the fallback every other language leans on, and what the first frame says); `model`
// (only the player, the panels and the course say it) and `fields` (the hex view's) load with the chunks that use
// them (./model.ts, ./fields.ts), the course
// (`lessons`, the largest) with the lessons' own chunk (loadLessonMessages), and other languages
// load on demand (one small chunk per language and namespace), so a language costs nothing until it is chosen.
// The language comes, in this order, from the address (`?lang=es`, so a shared link keeps it), the browser's saved
// choice, then the browser's own language; English when none of those is one we have.
//
// Namespaces: `ui` (components, store messages, class mode, the view's labels), `lessons` (the course), `model`
// (narration, explanations, pseudocode), `fields` (what each byte of a file is).
// Code outside React calls `t` from here; components call `useTranslation(ns)`.

import i18n, { type LanguageDetectorModule } from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';
import enUi from './locales/en/ui.json' with { type: 'json' };

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
export const NAMESPACES = ['ui', 'lessons', 'model', 'fields'] as const;
const STORAGE_KEY = 'lsm-lab:lang'; // beside the lab's other keys (lsm-lab:lab, lsm-lab:dock, ...)

const options = {
  supportedLngs: LANGUAGES.map((l) => l.code),
  nonExplicitSupportedLngs: true,
  load: 'languageOnly',
  fallbackLng: 'en',
  // `model` and `lessons` join when the chunks that say them are first loaded (./model.ts, loadLessonMessages); a
  // language switch then reloads them too.
  ns: ['ui'],
  defaultNS: 'ui',
  resources: { en: { ui: enUi } },
  // English ui is in `resources` (English model joins it in ./model.ts); the rest comes from the backend.
  partialBundledLanguages: true,
  interpolation: { escapeValue: false }, // React escapes.
  react: { useSuspense: false },
} as const;

const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
if (!inBrowser) {
  // Node (unit tests, tools): English at once, synchronously, so that `t` answers from the first import (and
  // `model` from the first import of a module that says it, ./model.ts).
  void i18n.init({ ...options, lng: 'en', initAsync: false });
}

/**
 * The languages the page asks for, best first: the address's `lang=`, the browser's saved choice, then the
 * browser's own languages; i18next takes the first one we have. It keeps the choice in the browser. (What
 * i18next-browser-languagedetector did with this order, in a few lines instead of its 6 KB in the initial JS.)
 */
const detector: LanguageDetectorModule = {
  type: 'languageDetector',
  detect: () => [fromAddress(), saved(), ...navigator.languages, navigator.language].filter(safeCode),
  cacheUserLanguage: (code) => {
    if (code === 'cimode') return; // i18next's "show the keys" mode, for debugging: not a choice to keep
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch {
      // Storage blocked: the choice lasts as long as the page.
    }
  },
};

/** `lang=` in the address (its last one), or after a `?` in the hash when the address has no query. */
function fromAddress(): string | undefined {
  const { search, hash } = location;
  const query = search || (hash.includes('?') ? hash.slice(hash.indexOf('?')) : '');
  let found: string | undefined;
  for (const param of query.slice(1).split('&')) {
    const at = param.indexOf('=');
    if (at > 0 && param.slice(0, at) === 'lang') found = param.slice(at + 1);
  }
  return found;
}

function saved(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A language code is written to `<html lang>`, to the address and to storage: letters, digits, `-`, `_`, `@` and
 * `.` only (no `..`), so that a crafted `lang=` cannot break out of an attribute.
 */
function safeCode(code: string | undefined): code is string {
  return (
    code !== undefined &&
    /^[A-Za-z0-9_@.-]{1,128}$/.test(code) &&
    !code.includes('..') &&
    !['__proto__', 'constructor', 'prototype'].includes(code)
  );
}

/** Starts i18next and loads the chosen language's messages; the app renders after it resolves. */
export function startI18n(): Promise<unknown> {
  i18n.on('languageChanged', showLanguage);
  return i18n
    .use(detector)
    .use(resourcesToBackend((language: string, ns: string) => import(`./locales/${language}/${ns}.json`)))
    .use(initReactI18next)
    .init(options);
}

/**
 * The course's messages in the current language: web/model/lessons awaits it as it loads, so no lesson text is read
 * before its messages are there. (Node's tests load them with the other English messages: test/i18n-en.ts.)
 */
export async function loadLessonMessages(): Promise<void> {
  await loadNamespace('lessons');
}

/**
 * A namespace that is not in the initial JS, joining once its chunk loads: English from that chunk (`english`, when
 * it bundles it), the chosen language's from the backend. A language switch then reloads it too.
 */
export async function loadNamespace(ns: string, english?: Record<string, unknown>): Promise<void> {
  await initialized();
  if (english) i18n.addResourceBundle('en', ns, english, true, true);
  await i18n.loadNamespaces(ns);
}

/** Resolves once i18next has started: a lazy chunk may be evaluated while startI18n is still starting. */
export async function initialized(): Promise<void> {
  if (!i18n.isInitialized) await new Promise((resolve) => i18n.on('initialized', resolve));
}

/** The current language, one of LANGUAGES. */
export function language(): Language {
  const code = i18n.resolvedLanguage ?? 'en';
  return (LANGUAGES.some((l) => l.code === code) ? code : 'en') as Language;
}

/** Switches the UI's language; the detector keeps the choice in the browser, and the address follows it. */
export function setLanguage(code: Language): Promise<unknown> {
  return i18n.changeLanguage(code);
}

/** A link made by the lab carries the language when it is not English (`lang=es`), so that it opens the same. */
export function withLanguage(link: string | URL): string {
  const url = new URL(link);
  if (language() === 'en') url.searchParams.delete('lang');
  else url.searchParams.set('lang', language());
  // `?embed` is a flag without a value: URLSearchParams would write it as `embed=`.
  return url.href.replace(/([?&]embed)=(&|#|$)/, '$1$2');
}

/**
 * `<html lang>` follows the language (screen readers pick their voice from it), and so does the address: `?lang=`
 * comes first in detection, so an address still saying `lang=es` would bring Spanish back on reload.
 */
function showLanguage(): void {
  if (!inBrowser) return;
  document.documentElement.lang = language();
  const next = withLanguage(location.href);
  if (next !== location.href) history.replaceState(history.state, '', next);
}

export const t = i18n.t.bind(i18n);
export { i18n };
