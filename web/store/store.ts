// The app's state, in one small zustand store. Engine events arrive in batches from the worker and wait
// in `pending`; the player (player.ts) moves them into the view at the chosen speed, folding each with the
// pure applyEvent. Nothing here computes LSM logic: the view is what the events say.
import { create } from 'zustand';
import type { CompactionStrategy, Compression, Durability, TreeStats } from '../../engine';
import type { CrashKind, CrashPoint } from '../../engine/worker/client';
import type { InputFormat } from '../model/input';
import type { TimelineEvent } from '../model/timeline';
import { initialView, type ViewModel } from '../model/view';

export type Speed = 'slow' | 'normal' | 'fast' | 'instant';

/** Milliseconds between two steps of the animation. */
export const SPEED_INTERVAL: Record<Speed, number> = { slow: 900, normal: 350, fast: 90, instant: 0 };

export type Connection =
  | { status: 'starting' }
  | { status: 'open'; persistent: boolean }
  | { status: 'locked' }
  /** This tab closed the database so that another tab could take it over. */
  | { status: 'released' }
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
  kind: CrashKind;
  durability: Durability;
  acknowledged: number;
  found: number;
  missing: string[];
  inDoubt: number;
}

/** The engine settings the lab exposes, kept in the browser between visits. */
export interface LabSettings {
  durability: Durability;
  memtableBytes: number;
  bloomBitsPerKey: number;
  compression: Compression;
  compaction: CompactionStrategy;
  blockSize: number;
}

export const DEFAULT_SETTINGS: LabSettings = {
  durability: 'durable',
  memtableBytes: 256,
  bloomBitsPerKey: 10,
  compression: 'none',
  compaction: 'leveled',
  blockSize: 256,
};

/** One point of the amplification chart. */
export interface StatsPoint {
  writes: number;
  writeAmplification: number;
  spaceAmplification: number;
  tablesPerGet: number;
}

export interface WorkloadState {
  running: boolean;
  done: number;
  total: number;
}

export interface LabState {
  connection: Connection;
  view: ViewModel;
  /** Received from the engine, not yet shown. */
  pending: TimelineEvent[];
  /** The narration of the steps shown so far, newest last (the last LOG_LINES). */
  log: LogLine[];
  speed: Speed;
  settings: LabSettings;
  message: Message | null;
  report: DurabilityReport | null;
  stats: TreeStats | null;
  statsHistory: StatsPoint[];
  workload: WorkloadState;
  /** The OPFS directory (database) this tab works on. */
  database: string;
  inputFormat: InputFormat;
  crashKind: CrashKind;
  armed: CrashPoint | null;
}

export const LOG_LINES = 200;

export const useLab = create<LabState>(() => ({
  connection: { status: 'starting' },
  view: initialView,
  pending: [],
  log: [],
  speed: readSetting('speed', 'normal') as Speed,
  settings: readSettings(),
  message: null,
  report: null,
  stats: null,
  statsHistory: [],
  workload: { running: false, done: 0, total: 0 },
  database: 'lsm-lab',
  inputFormat: 'text',
  crashKind: 'process',
  armed: null,
}));

function readSettings(): LabSettings {
  try {
    const saved = JSON.parse(readSetting('settings', '{}')) as Partial<LabSettings>;
    return { ...DEFAULT_SETTINGS, ...saved };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

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

/**
 * Layout animations (files gliding between places) measure the page on every render: lovely for single
 * steps, too costly while a workload streams thousands of events. They pause while one runs.
 */
export function useLayoutAnimations(): boolean {
  return useLab((s) => !s.workload.running);
}
