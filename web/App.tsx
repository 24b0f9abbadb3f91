import { LayoutGroup, MotionConfig } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Caption } from './components/Caption';
import { Dock } from './components/Dock';
import { HelpOverlay } from './components/HelpOverlay';
import { LevelsPanel } from './components/LevelsPanel';
import { MemtablePanel } from './components/MemtablePanel';
import { Player } from './components/Player';
import { StorageLine } from './components/StorageLine';
import { Toolbar } from './components/Toolbar';
import { WalPanel } from './components/WalPanel';
import { shownPanel, useDock } from './layout/dock';
import { EMBED } from './layout/embed';
import { lazyPart } from './layout/lazy-part';
import { useLab } from './store/store';

// Shown when the database cannot open (locked, failed, released) only: a chunk of its own (layout/lazy-part.tsx).
const StatusScreens = lazyPart(() => import('./components/StatusScreens'), 'StatusScreens');

/**
 * The class view: the picture owns the screen. One toolbar, the player and the caption sit above it; every other
 * panel opens on demand in the dock beside it (components/Dock.tsx).
 */
export function App() {
  const { t } = useTranslation('ui');
  const status = useLab((s) => s.connection.status);
  const blocked = status === 'locked' || status === 'failed' || status === 'released';
  const inMemory = useLab((s) => s.connection.status === 'open' && !s.connection.persistent);
  const denied = useLab((s) => s.storageDenied !== null);
  const presenter = useLab((s) => s.presenter);
  // A class, not a :has() selector: :has() is re-checked on DOM changes below it, several times a second here.
  const shown = useDock((s) => shownPanel(s.open, presenter, EMBED));
  return (
    <MotionConfig reducedMotion="user">
      <div className={`app ${presenter ? 'presenter' : ''} ${EMBED ? 'embed' : ''}`}>
        {blocked ? <h1 className="brand">LSM Lab</h1> : <Toolbar />}
        {/* The embed view is the picture, the caption and the toolbar: it plays every step as it comes. */}
        {!EMBED && <Player />}
        {!blocked && <Caption />}
        {denied ? (
          <StorageLine />
        ) : (
          inMemory && (
            <p className="banner" role="alert">
              {t('app.inMemory')}
            </p>
          )
        )}
        <div className={`workspace ${shown ? `docked docked-${shown}` : ''}`}>
          {blocked ? (
            <StatusScreens />
          ) : (
            <LayoutGroup>
              <main className="stage" aria-label={t('app.stage')}>
                <WalPanel />
                <MemtablePanel />
                <LevelsPanel />
              </main>
            </LayoutGroup>
          )}
          <Dock />
        </div>
        <HelpOverlay />
      </div>
    </MotionConfig>
  );
}
