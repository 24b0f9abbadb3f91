import { LayoutGroup, MotionConfig } from 'motion/react';
import { lazy, Suspense } from 'react';
import { Controls } from './components/Controls';
import { CrashLab } from './components/CrashLab';
import { EventLog } from './components/EventLog';
import { Header } from './components/Header';
import { HelpOverlay } from './components/HelpOverlay';
import { LevelsPanel } from './components/LevelsPanel';
import { MemtablePanel } from './components/MemtablePanel';
import { MetricsPanel } from './components/MetricsPanel';
import { NowCaption } from './components/NowCaption';
import { Pseudocode } from './components/Pseudocode';
import { ReadPath } from './components/ReadPath';
import { RecoveryReport } from './components/RecoveryReport';
import { SettingsPanel } from './components/SettingsPanel';
import { StatusScreens } from './components/StatusScreens';
import { Timeline } from './components/Timeline';
import { WalPanel } from './components/WalPanel';
import { WorkloadPanel } from './components/WorkloadPanel';
import { useLab } from './store/store';

// Below the fold and not needed for the first picture: loaded right after it, to keep the initial download small.
const LessonPanel = lazy(() => import('./components/LessonPanel').then((m) => ({ default: m.LessonPanel })));
const ScenarioPanel = lazy(() => import('./components/ScenarioPanel').then((m) => ({ default: m.ScenarioPanel })));
const TwinPanel = lazy(() => import('./components/TwinPanel').then((m) => ({ default: m.TwinPanel })));
const HexInspector = lazy(() => import('./components/HexInspector').then((m) => ({ default: m.HexInspector })));
const PerformancePanel = lazy(() =>
  import('./components/PerformancePanel').then((m) => ({ default: m.PerformancePanel })),
);

export function App() {
  const status = useLab((s) => s.connection.status);
  const blocked = status === 'locked' || status === 'failed' || status === 'released';
  const inMemory = useLab((s) => s.connection.status === 'open' && !s.connection.persistent);
  const presenter = useLab((s) => s.presenter);
  return (
    <MotionConfig reducedMotion="user">
      <div className={`app ${presenter ? 'presenter' : ''}`}>
        <Header />
        {inMemory && (
          <p className="banner" role="alert">
            This browser gives LSM Lab no Origin Private File System here (a private window, or an older browser): the
            engine runs in memory. Everything works, but nothing survives a reload.
          </p>
        )}
        {blocked ? (
          <StatusScreens />
        ) : (
          <>
            <Controls />
            <SettingsPanel />
            <RecoveryReport />
            <Timeline />
            <NowCaption />
            <LayoutGroup>
              <main className="stage" aria-label="The LSM tree">
                <WalPanel />
                <MemtablePanel />
                <LevelsPanel />
              </main>
            </LayoutGroup>
            <section className="lower">
              <ReadPath />
              <EventLog />
            </section>
            <section className="lower even">
              <Suspense fallback={<section className="panel" aria-busy="true" />}>
                <LessonPanel />
              </Suspense>
              <Pseudocode />
            </section>
            <section className="lower even">
              <CrashLab />
              <WorkloadPanel />
            </section>
            <section className="lower">
              <Suspense fallback={<section className="panel" aria-busy="true" />}>
                <ScenarioPanel />
              </Suspense>
              <MetricsPanel />
            </section>
            <Suspense fallback={null}>
              <TwinPanel />
            </Suspense>
            <div className="lower single">
              <Suspense fallback={<section className="panel" aria-busy="true" />}>
                <PerformancePanel />
              </Suspense>
            </div>
            <Suspense fallback={null}>
              <HexInspector />
            </Suspense>
          </>
        )}
        <HelpOverlay />
      </div>
    </MotionConfig>
  );
}
