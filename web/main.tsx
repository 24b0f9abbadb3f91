import { LazyMotion } from 'motion/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startI18n } from './i18n';
import { installShortcuts } from './keyboard';
import { useDock } from './layout/dock';
import { EMBED, EMBED_DATABASE, lessonFromAddress, settingsFromAddress } from './layout/embed';
import { preloadParts } from './layout/lazy-part';
import { practiceFromAddress } from './layout/practice-address';
import { loadActions } from './store/later';
import { useLab } from './store/store';
import './styles/index.css';

if (EMBED) {
  // The embed's own database and the address's settings, for this page only (the lab's saved ones stay as they are).
  useLab.setState((s) => ({ database: EMBED_DATABASE, settings: { ...s.settings, ...settingsFromAddress() } }));
  useDock.setState({ open: null });
}
// A lesson's link (`?lesson=write-path`) opens it beside the picture; startFromLocation opens its database. The
// course is a chunk of its own, fetched only when the address names a lesson.
const lessonInAddress = lessonFromAddress()
  ? import('./model/lessons').then(({ lessonBySlug }) => lessonBySlug(lessonFromAddress()) !== undefined)
  : Promise.resolve(false);
void lessonInAddress.then((lesson) => {
  if (lesson || practiceFromAddress()) useDock.setState({ open: 'lessons' });
});

// What the address opens (store/start.ts) and the actions behind the buttons (store/later.ts) are chunks of their
// own, outside the initial JS: both are fetched now, beside the language's messages, so that the database opens
// as soon as the first frame is drawn, as it would with them in the entry.
const starting = import('./store/start');
void loadActions();
installShortcuts();
// Offline after the first visit (production builds only: the dev server changes files as you edit them).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // Without it the app still works; it just needs the network to load.
  });
}
// The first frame waits for the chosen language's messages (a few KB, from the cache after the first visit).
// Motion's features (animations, layout) are a chunk of their own too: the components use motion's slim `m`
// elements, which animate once LazyMotion has them (web/motion-features.ts).
const motionFeatures = () => import('./motion-features').then((m) => m.default);
void Promise.all([startI18n(), lessonInAddress]).finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <LazyMotion features={motionFeatures}>
        <App />
      </LazyMotion>
    </StrictMode>,
  );
  void starting.then(({ startFromLocation }) => startFromLocation());
  preloadParts();
});
