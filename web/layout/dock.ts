// Which side panel is open beside the picture. The picture owns the screen; everything else (lessons, settings,
// the crash lab, …) opens on demand in one dock, and the choice is kept between visits so that a teacher who
// prepared a lesson finds it open. Apart from the lab's store: it says where things are drawn, not what the
// engine did.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { t } from '../i18n';
import { legacy, savedStorage } from '../store/saved';
import { EMBED } from './embed';

/** Every panel the dock can show, in the order of its rail; a label is a function, said in the language of now. */
export const DOCK_PANELS = [
  { id: 'lessons', label: () => t('ui:dock.lessons') },
  { id: 'reads', label: () => t('ui:dock.reads') },
  { id: 'log', label: () => t('ui:dock.log') },
  { id: 'code', label: () => t('ui:dock.code') },
  { id: 'settings', label: () => t('ui:dock.settings') },
  { id: 'crash', label: () => t('ui:dock.crash') },
  { id: 'workload', label: () => t('ui:dock.workload') },
  { id: 'files', label: () => t('ui:dock.files') },
  { id: 'share', label: () => t('ui:dock.share') },
  { id: 'twins', label: () => t('ui:dock.twins') },
  { id: 'performance', label: () => t('ui:dock.performance') },
  { id: 'class', label: () => t('ui:dock.class') },
] as const;

export type DockPanel = (typeof DOCK_PANELS)[number]['id'];

const isPanel = (id: string): id is DockPanel => DOCK_PANELS.some((p) => p.id === id);

interface DockState {
  /** The open panel, or null: the picture takes the whole width. */
  open: DockPanel | null;
}

/** An embed's frame opens with no panel and keeps none: the lab's own choice stays as it was. */
const forget = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

export const useDock = create<DockState>()(
  persist((): DockState => ({ open: null }), {
    name: 'lsm-lab:dock',
    version: 1,
    storage: EMBED ? forget : savedStorage,
    merge: (persisted, current) => {
      const open = (persisted as Partial<DockState> | undefined)?.open ?? legacy('dock') ?? null;
      return { ...current, open: open !== null && isPanel(open) ? open : null };
    },
  }),
);

export function openDock(panel: DockPanel | null): void {
  useDock.setState({ open: panel });
}

/** The rail's buttons toggle: pressing the open panel's button closes it. */
export function toggleDock(panel: DockPanel): void {
  openDock(useDock.getState().open === panel ? null : panel);
}

/**
 * The panel actually drawn: presenter mode keeps only the lesson card and the class's, and the embed view only the
 * lesson card (it has no rail to open another).
 */
export function shownPanel(open: DockPanel | null, presenter: boolean, embed: boolean): DockPanel | null {
  return open !== null && ((!presenter && !embed) || open === 'lessons' || (open === 'class' && !embed)) ? open : null;
}
