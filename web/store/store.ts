// The app's state, in one small zustand store. Engine events arrive in batches from the worker and wait
// in the timeline (`history`); the player (player.ts) moves the cursor through them at the chosen speed,
// folding each with the pure applyEvent, and can pause, step back and scrub. Nothing here computes LSM
// logic: the view is what the events say.

import type { RepairReport } from '@lsm-lab/engine';
import {
  type CompactionStrategy,
  type Compression,
  type Durability,
  DEFAULT_SETTINGS as ENGINE_DEFAULTS,
  type TreeStats,
} from '@lsm-lab/engine';
import type { CrashKind, CrashPoint } from '@lsm-lab/engine/worker';
import { useReducedMotion } from 'motion/react';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { create } from 'zustand';
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
  /**
   * A function, not a string: it is called at render time, so the line re-renders in the language chosen after it
   * was said (a plain string is kept for text that has no words of ours, such as a parse error's own message).
   */
  text: string | (() => string);
  tone: 'info' | 'ok' | 'error';
  /** The durability report this message announces (the status line then shows the report's verdict). */
  about?: DurabilityReport;
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
  /** Acknowledged writes a checksum kept from being read back (damaged bytes on their path), with the reason. */
  unreadable: Array<{ key: string; error: string }>;
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
  /** Leveled targets derived from the last level's size (RocksDB) instead of from L1 down (LevelDB). */
  dynamicLevelBytes: boolean;
  /** Compaction filters (engine/compaction/filter.ts): key prefixes dropped, and a TTL in ms (0 = none). */
  filterPrefixes: string[];
  filterTtlMs: number;
  /** Prefix-compressed blocks: a key stored whole every this many (absent: the engine's 16). */
  restartInterval?: number;
}

/** The engine's defaults (engine/settings.ts), but for the lab's three overrides below. */
const { durability, bloomBitsPerKey, compression, compaction, filterPrefixes, filterTtlMs } = ENGINE_DEFAULTS;

export const DEFAULT_SETTINGS: LabSettings = {
  durability,
  bloomBitsPerKey,
  compression,
  compaction,
  // Classroom sizes: a few writes fill a memtable and a block, so that a class sees flushes and compactions.
  memtableBytes: 256,
  blockSize: 256,
  // LevelDB's static level targets: a class sees L0 merge into L1, L1 into L2… With RocksDB's dynamic targets (the
  // engine's default) a small tree compacts L0 straight into a deep level, and a 256-byte memtable's thousands of
  // tiny files make that several times slower in the browser. One switch away in the settings.
  dynamicLevelBytes: false,
  filterPrefixes,
  filterTtlMs,
  // A 256-byte block holds about a dozen entries: with LevelDB's 16 it would have one restart point, and a Get's
  // binary search over the restart points would never be seen. Every 4th key stored whole shows it.
  restartInterval: 4,
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
  /** Every event received, oldest first (the oldest are dropped past a limit; `base` counts them). */
  history: TimelineEvent[];
  /** How many events were dropped from the front of `history`. Positions below are absolute. */
  base: number;
  /** Events [0, cursor) are shown: `view` is their fold. */
  cursor: number;
  /** The narration of the steps shown so far, newest last (the last LOG_LINES). */
  log: LogLine[];
  /** The player moves on by itself; paused, it waits for Step. */
  playing: boolean;
  /** Step moves one event, or to the start of the next operation. */
  stepBy: 'event' | 'operation';
  presenter: boolean;
  helpOpen: boolean;
  speed: Speed;
  settings: LabSettings;
  message: Message | null;
  report: DurabilityReport | null;
  stats: TreeStats | null;
  statsHistory: StatsPoint[];
  workload: WorkloadState;
  /** The OPFS directory (database) this tab works on. */
  database: string;
  /**
   * Counts the times the picture's database was replaced (a reset, a lesson or practice question opened, the class
   * database back): the files of the new one may have the old one's names, and a card must not be taken for the
   * old card of the same name while that one is still leaving (motion left such a card half faded, mid-glide).
   */
  epoch: number;
  inputFormat: InputFormat;
  crashKind: CrashKind;
  armed: CrashPoint | null;
  /** A key (lowercase hex) the student clicked: the hex inspector highlights its bytes in the file shown. */
  highlightKey: string | null;
  /**
   * The browser denies this page storage (a frame on another site with third-party storage blocked), so the
   * engine runs in memory; and where asking for storage access stands (asked on the first click). null: not denied.
   */
  storageDenied: 'not-asked' | 'asking' | 'refused' | null;
  /**
   * The lesson open on its own database (actions/lessons.ts), or null: the class database is open. `opened`
   * counts the openings, so that a lesson opened again starts again from its first step.
   */
  lesson: { id: string; phase: 'setting-up' | 'ready' | 'failed'; opened: number } | null;
  /** What the last repair (LsmTree.repair) kept and could not read; null until one ran, and after a reset. */
  repairReport: RepairReport | null;
}

export const LOG_LINES = 200;

export const useLab = create<LabState>(() => ({
  connection: { status: 'starting' },
  view: initialView,
  history: [],
  base: 0,
  cursor: 0,
  log: [],
  playing: readSetting('startPaused', 'false') !== 'true',
  stepBy: 'event',
  presenter: readSetting('presenter', 'false') === 'true',
  helpOpen: false,
  speed: readSetting('speed', 'normal') as Speed,
  settings: readSettings(),
  message: null,
  report: null,
  stats: null,
  statsHistory: [],
  workload: { running: false, done: 0, total: 0 },
  database: 'lsm-lab',
  epoch: 0,
  inputFormat: 'text',
  crashKind: 'process',
  armed: null,
  highlightKey: null,
  storageDenied: null,
  lesson: null,
  repairReport: null,
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

/**
 * Whether things animate in (and out) at all. Motion's reducedMotion setting stops movement but still fades; a
 * user who asked the system for reduced motion gets elements that simply appear. So does a workload: it draws a
 * new picture every tenth of a second, files come and go in each, and their half-second fades overlapped by the
 * dozen (motion's animations were most of the main thread's long tasks during the classroom default workload).
 */
export function useEntrances(): boolean {
  const running = useLab((s) => s.workload.running);
  return !useReducedMotion() && !running;
}

/**
 * Whether CSS fades play (a deeper level's new files): the user's preference only. They stay on during a workload
 * (a compositor's opacity animation, cheap, and few: crowded levels skip it); a class that came and went with the
 * workload would replay every file's fade the moment it ends.
 */
export function useFades(): boolean {
  return !useReducedMotion();
}

/**
 * Events received but not yet shown. Playing at instant speed the player shows them within a frame (a tenth of
 * a second during a workload): nothing worth announcing, and a count that flickered on every batch.
 */
export function usePending(): number {
  return useLab((s) => (s.playing && s.speed === 'instant' ? 0 : s.base + s.history.length - s.cursor));
}

/** While a workload runs, panels that only list things (every file of the database) update this often at most. */
export const CALM_INTERVAL = 1000;

/**
 * A slice of the state for panels that need not follow a workload closely: the corruption lab's and the hex
 * inspector's lists of every file. A workload changes the files several times a picture, and rebuilding a select
 * of hundreds of options each time cost more than the picture itself. While a workload runs the value updates at
 * most every CALM_INTERVAL ms; otherwise at once. `selector` must be a stable function returning a stable value.
 */
export function useCalm<T>(selector: (s: LabState) => T): T {
  const current = useRef(selector(useLab.getState()));
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let last = Number.NEGATIVE_INFINITY;
      const update = () => {
        timer = undefined;
        last = performance.now();
        const next = selector(useLab.getState());
        if (Object.is(next, current.current)) return;
        current.current = next;
        notify();
      };
      const unsubscribe = useLab.subscribe((state) => {
        if (!state.workload.running) {
          if (timer !== undefined) clearTimeout(timer);
          update();
        } else {
          timer ??= setTimeout(update, Math.max(0, last + CALM_INTERVAL - performance.now()));
        }
      });
      update();
      return () => {
        unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [selector],
  );
  return useSyncExternalStore(subscribe, () => current.current);
}
