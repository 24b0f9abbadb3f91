import { LayoutGroup, MotionConfig } from 'motion/react';
import { Controls } from './components/Controls';
import { EventLog } from './components/EventLog';
import { Header } from './components/Header';
import { MemtablePanel } from './components/MemtablePanel';
import { NowCaption } from './components/NowCaption';
import { ReadPath } from './components/ReadPath';
import { RecoveryReport } from './components/RecoveryReport';
import { SstablePanel } from './components/SstablePanel';
import { StatusScreens } from './components/StatusScreens';
import { WalPanel } from './components/WalPanel';
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
            <RecoveryReport />
            <NowCaption />
            <LayoutGroup>
              <main className="stage" aria-label="The LSM tree">
                <WalPanel />
                <MemtablePanel />
                <SstablePanel />
              </main>
            </LayoutGroup>
            <section className="lower">
              <ReadPath />
              <EventLog />
            </section>
          </>
        )}
      </div>
    </MotionConfig>
  );
}
