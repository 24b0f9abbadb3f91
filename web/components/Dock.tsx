import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClass } from '../class/store';
import { DOCK_PANELS, type DockPanel, openDock, shownPanel, toggleDock, useDock } from '../layout/dock';
import { EMBED } from '../layout/embed';
import { useLab } from '../store/store';

// Each panel is loaded the first time it is opened: none of them is needed for the first picture.
const named = <K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const LessonPanel = named(() => import('./LessonPanel'), 'LessonPanel');
const Pseudocode = named(() => import('./Pseudocode'), 'Pseudocode');
const ReadPath = named(() => import('./ReadPath'), 'ReadPath');
const EventLog = named(() => import('./EventLog'), 'EventLog');
const SettingsPanel = named(() => import('./SettingsPanel'), 'SettingsPanel');
const CrashLab = named(() => import('./CrashLab'), 'CrashLab');
const WorkloadPanel = named(() => import('./WorkloadPanel'), 'WorkloadPanel');
const MetricsPanel = named(() => import('./MetricsPanel'), 'MetricsPanel');
const HexInspector = named(() => import('./HexInspector'), 'HexInspector');
const ScenarioPanel = named(() => import('./ScenarioPanel'), 'ScenarioPanel');
const TwinPanel = named(() => import('./TwinPanel'), 'TwinPanel');
const PerformancePanel = named(() => import('./PerformancePanel'), 'PerformancePanel');
const ClassPanel = named(() => import('./ClassPanel'), 'ClassPanel');

/** The rail's buttons in presenter mode, which shows the lesson card and nothing else beside the picture. */
const PRESENTER_PANELS = new Set<DockPanel>(['lessons', 'class']);

/**
 * What each dock panel holds. The code (pseudocode with the current line) is drawn under the lesson card as well
 * as on its own: question, picture and code visible together. It is one element, placed after the panels.
 */
const CONTENT: Record<DockPanel, () => ReactNode> = {
  lessons: () => <LessonPanel />,
  reads: () => <ReadPath />,
  log: () => <EventLog />,
  code: () => null,
  settings: () => <SettingsPanel />,
  crash: () => <CrashLab />,
  workload: () => (
    <>
      <WorkloadPanel />
      <MetricsPanel />
    </>
  ),
  files: () => <HexInspector />,
  share: () => <ScenarioPanel />,
  twins: () => <TwinPanel />,
  performance: () => <PerformancePanel />,
  class: () => <ClassPanel />,
};

/**
 * The dock beside the picture: a rail of panel buttons and, when one is pressed, that panel. A panel once opened
 * stays mounted while hidden, so that switching between them keeps what each was showing (the file in the hex
 * inspector, a half-filled crash lab). Presenter mode keeps only the lesson card, and a slim rail to open it; on a
 * phone a panel opens as a full-screen sheet.
 */
export function Dock() {
  const { t } = useTranslation('ui');
  const open = useDock((s) => s.open);
  const presenter = useLab((s) => s.presenter);
  const shown = shownPanel(open, presenter, EMBED);
  const [visited, setVisited] = useState<DockPanel[]>([]);
  if (shown && !visited.includes(shown)) setVisited([...visited, shown]);
  const label = DOCK_PANELS.find((p) => p.id === shown)?.label();
  // Class mode appears where a relay is set (a setting, or a join link's) or a class is on.
  const classes = useClass((s) => s.relay !== undefined || s.role !== null);
  const panels = DOCK_PANELS.filter(
    (panel) => (panel.id !== 'class' || classes) && (!presenter || PRESENTER_PANELS.has(panel.id)),
  );
  return (
    <>
      {visited.length > 0 && (
        <aside
          className={`dock dock-${shown}`}
          aria-label={t('dock.panelLabel', { panel: label })}
          data-testid="dock"
          hidden={shown === null}
        >
          <button
            type="button"
            className="quiet dock-close"
            onClick={() => openDock(null)}
            aria-label={t('dock.close')}
          >
            ✕
          </button>
          {visited.map((id) => (
            <div className="dock-body" key={id} hidden={id !== shown}>
              <Suspense fallback={<section className="panel" aria-busy="true" />}>{CONTENT[id]()}</Suspense>
            </div>
          ))}
          {((shown === 'lessons' && !EMBED) || shown === 'code') && (
            <Suspense fallback={null}>
              <Pseudocode />
            </Suspense>
          )}
        </aside>
      )}
      {!EMBED && (
        <nav className="rail" aria-label={t('dock.rail')}>
          {panels.map((panel) => (
            <button
              key={panel.id}
              type="button"
              className={`rail-button ${open === panel.id ? 'chosen' : ''}`}
              aria-pressed={open === panel.id}
              onClick={() => toggleDock(panel.id)}
            >
              {panel.label()}
            </button>
          ))}
        </nav>
      )}
    </>
  );
}
