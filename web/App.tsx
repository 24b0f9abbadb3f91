import { LayoutGroup, MotionConfig } from 'motion/react';
import { Controls } from './components/Controls';
import { EventLog } from './components/EventLog';
import { Header } from './components/Header';
import { LevelsPanel } from './components/LevelsPanel';
import { MemtablePanel } from './components/MemtablePanel';
import { MetricsPanel } from './components/MetricsPanel';
import { NowCaption } from './components/NowCaption';
import { ReadPath } from './components/ReadPath';
import { RecoveryReport } from './components/RecoveryReport';
import { SettingsPanel } from './components/SettingsPanel';
import { StatusScreens } from './components/StatusScreens';
import { WalPanel } from './components/WalPanel';
import { WorkloadPanel } from './components/WorkloadPanel';
import { useLab } from './store/store';

export function App() {
  const status = useLab((s) => s.connection.status);
  const blocked = status === 'locked' || status === 'failed';
  return (
    <MotionConfig reducedMotion="user">
      <div className="app">
        <Header />
        {blocked ? (
          <StatusScreens />
        ) : (
          <>
            <Controls />
            <SettingsPanel />
            <RecoveryReport />
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
            <section className="lower">
              <WorkloadPanel />
              <MetricsPanel />
            </section>
          </>
        )}
      </div>
    </MotionConfig>
  );
}
