// The app's state, in one small zustand store. Engine events arrive in batches from the worker and wait
// in the timeline (`history`); the player (player.ts) moves the cursor through them at the chosen speed,
// folding each with the pure applyEvent, and can pause, step back and scrub. Nothing here computes LSM
// logic: the view is what the events say. What the lab keeps for the next visit is persist's (saved.ts); the
// actions that change the state are in actions/ and player.ts, the hooks the components share in hooks.ts.

import type { RepairReport } from '@lsm-lab/engine';
import {
  type CompactionStrategy,
  type Compression,
  type Durability,
  DEFAULT_SETTINGS as ENGINE_DEFAULTS,
  type TreeStats,
} from '@lsm-lab/engine';
import type { CrashKind, CrashPoint } from '@lsm-lab/engine/worker';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { InputFormat } from '../model/input';
import type { TimelineEvent } from '../model/timeline';
import { initialView, type ViewModel } from '../model/view';
import { legacy, savedStorage } from './saved';

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
  // `message` is worded at render (messageText), so that it follows a change of language on the error screen.
  | { status: 'failed'; message: Message['text']; file?: string; offset?: number };

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
  /** Narrated when read (a getter), so a line shows in the language chosen now. */
  readonly text: string;
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
  /** The player starts paused on the next visit (and pauses now: see Player's option). */
  startPaused: boolean;
  /** The engine settings in use: the lab's own, a lesson's, a class's or an embed's. */
  settings: LabSettings;
  /** The lab's own settings, kept for the next visit: what `settings` is when no lesson, class or embed has its own. */
  savedSettings: LabSettings;
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

/** What of the state is kept for the next visit. */
type Saved = Pick<LabState, 'savedSettings' | 'speed' | 'presenter' | 'startPaused'>;

export const useLab = create<LabState>()(
  persist(
    (): LabState => ({
      connection: { status: 'starting' },
      view: initialView,
      history: [],
      base: 0,
      cursor: 0,
      log: [],
      playing: true,
      stepBy: 'event',
      presenter: false,
      helpOpen: false,
      speed: 'normal' as Speed,
      startPaused: false,
      settings: DEFAULT_SETTINGS,
      savedSettings: DEFAULT_SETTINGS,
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
    }),
    {
      name: 'lsm-lab:lab',
      version: 1,
      storage: savedStorage,
      partialize: (s): Saved => ({
        savedSettings: s.savedSettings,
        speed: s.speed,
        presenter: s.presenter,
        startPaused: s.startPaused,
      }),
      merge: (persisted, current) => {
        const saved = (persisted as Partial<Saved> | undefined) ?? savedBefore();
        const settings = { ...DEFAULT_SETTINGS, ...saved.savedSettings };
        const startPaused = saved.startPaused ?? false;
        return { ...current, ...saved, settings, savedSettings: settings, startPaused, playing: !startPaused };
      },
    },
  ),
);

/** What an earlier version kept, one key a setting (see saved.ts). */
function savedBefore(): Partial<Saved> {
  const saved: Partial<Saved> = {};
  try {
    const settings = legacy('settings');
    if (settings) saved.savedSettings = JSON.parse(settings) as LabSettings;
  } catch {
    // Not JSON: the defaults.
  }
  const speed = legacy('speed');
  if (speed && speed in SPEED_INTERVAL) saved.speed = speed as Speed;
  if (legacy('presenter') === 'true') saved.presenter = true;
  if (legacy('startPaused') === 'true') saved.startPaused = true;
  return saved;
}
