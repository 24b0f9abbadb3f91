// The app's state, in one small zustand store. Engine events arrive in batches from the worker and wait
// in `pending`; the player (player.ts) moves them into the view at the chosen speed, folding each with the
// pure applyEvent. Nothing here computes LSM logic: the view is what the events say.
import { create } from 'zustand';
import type { TimelineEvent } from '../model/timeline';
import { initialView, type ViewModel } from '../model/view';

export type Speed = 'slow' | 'normal' | 'fast' | 'instant';

/** Milliseconds between two steps of the animation. */
export const SPEED_INTERVAL: Record<Speed, number> = { slow: 900, normal: 350, fast: 90, instant: 0 };

export type Connection =
  | { status: 'starting' }
  | { status: 'open'; persistent: boolean }
  | { status: 'locked' }
  | { status: 'crashed' }
  | { status: 'recovering' }
  | { status: 'failed'; message: string; file?: string; offset?: number };

export interface Message {
  text: string;
  tone: 'info' | 'ok' | 'error';
}

export interface LogLine {
  id: number;
  text: string;
  kind: TimelineEvent['type'];
}

export interface DurabilityReport {
  acknowledged: number;
  found: number;
  missing: string[];
  inDoubt: number;
}

export interface LabState {
  connection: Connection;
  view: ViewModel;
  /** Received from the engine, not yet shown. */
  pending: TimelineEvent[];
  /** The narration of the steps shown so far, newest last (the last LOG_LINES). */
  log: LogLine[];
  speed: Speed;
  memtableLimit: number;
  message: Message | null;
  report: DurabilityReport | null;
}

export const LOG_LINES = 400;

export const useLab = create<LabState>(() => ({
  connection: { status: 'starting' },
  view: initialView,
  pending: [],
  log: [],
  speed: readSetting('speed', 'normal') as Speed,
  memtableLimit: Number(readSetting('memtableLimit', '256')) || 256,
  message: null,
  report: null,
}));

export function readSetting(name: string, fallback: string): string {
  try {
    return localStorage.getItem(`lsm-lab:${name}`) ?? fallback;
  } catch {
    return fallback;
  }
}

export function writeSetting(name: string, value: string): void {
  try {
    localStorage.setItem(`lsm-lab:${name}`, value);
  } catch {
    // Storage may be unavailable (private mode); settings then last for this visit only.
  }
}
