import { defineConfig } from 'i18next-cli';

// `npx i18next-cli extract --ci` (in .ci/run through `npm run i18n:check`) fails when a key used in code is missing
// from a message file or a message file holds a key no code uses; `status` lists what Spanish still lacks.
export default defineConfig({
  locales: ['en', 'es'],
  extract: {
    input: ['web/**/*.{ts,tsx}'],
    output: 'web/i18n/locales/{{language}}/{{namespace}}.json',
    defaultNS: 'ui',
    keySeparator: '.',
    nsSeparator: ':',
    functions: ['t', 'i18n.t'],
    removeUnusedKeys: true,
    sort: true,
    indentation: 2,
    primaryLanguage: 'en',
  },
});
