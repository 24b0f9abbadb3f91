// The one session this page holds with the engine: the client and what the lab remembers about it, in one object
// of a documented shape, as zustand's vanilla.ts keeps a store's state in one place: no action has a variable of
// its own.
import { type CrashKind, type LsmClient, WriteOracle } from '@lsm-lab/engine/worker';
import { t } from '../../i18n';
import type { ScenarioOp } from '../../model/scenario';
import type { LabSettings } from '../store';
import { say } from './say';

/**
 * What the actions share and the UI never draws: the store holds what is drawn (connection, report, stats); this
 * holds the handle on the worker and the oracle the durability report checks the recovered database against.
 */
export interface Session {
  /** The engine's worker, while it runs; undefined after a crash, a release, or before the first open. */
  client: LsmClient | undefined;
  /**
   * Every write sent since the page loaded or the last reset (keys and values as hex), which were acknowledged,
   * and which are still in flight: the engine's write oracle, the one the crash-safety tests judge by.
   */
  oracle: WriteOracle;
  /** Writes that were in flight when the crash came: they may or may not survive, and both are correct. */
  inDoubt: number;
  /** The engine's memtable size as its events report it (the view may still be catching up): what a crash loses. */
  engineMemtableEntries: number;
  /** What the last crash was, for the durability report (the store's crashKind is the one the next crash will be). */
  lastCrashKind: CrashKind;
  /** The operations since the last reset (or since the page opened), in order: the scenario a link shares. */
  recorded: ScenarioOp[];
  /** The settings when recording began (the last reset, or the first change since the page opened). */
  startSettings: LabSettings | undefined;
  /**
   * While a scenario replays: the operation running (counted from 1), and what did not go as recorded (a crash
   * point the replay did not reach), for the replay's last word.
   */
  replay: { step: number; notes: string[] } | undefined;
  /**
   * The snapshots this page holds in the engine's worker, by sequence number (the id the worker knows each by),
   * oldest first; `of` is the client they live in: they end with it (close, reset, crash).
   */
  snapshots: { of: LsmClient | undefined; held: Array<{ seq: number; id: number }> };
  /** The engine's files are on OPFS (else in its worker's memory). */
  persistent: boolean;
  /**
   * Files in a worker's memory die with it, where a disk would keep them: a crash of an in-memory engine hands
   * them over first (LsmClient.crashKeepingFiles), and the next open (Recover) starts from them.
   */
  memoryFiles: Promise<Array<[string, Uint8Array]>> | undefined;
  /** This tab asked another to hand the database over and opens it when that tab says it let go. */
  waitingForRelease: boolean;
  /** The amplification figures are asked of the engine at most once a second: the pending request, if any… */
  statsTimer: ReturnType<typeof setTimeout> | undefined;
  /** …and whether something changed since the last answer. */
  statsDue: boolean;
  /**
   * The transaction this page has open (txns.ts): its id in the worker of client `of`, the sequence it reads at,
   * and the writes in its workspace (hex), for the oracle once it commits.
   */
  txn: { of: LsmClient; id: number; seq: number; writes: Array<{ key: string; value: string | null }> } | undefined;
  /** How far the engine's clock runs ahead of the real one (advanceClock): each open is given it, so it never goes back. */
  clockOffsetMs: number;
}

export const session: Session = {
  client: undefined,
  oracle: new WriteOracle(),
  inDoubt: 0,
  engineMemtableEntries: 0,
  lastCrashKind: 'process',
  recorded: [],
  startSettings: undefined,
  replay: undefined,
  snapshots: { of: undefined, held: [] },
  persistent: true,
  memoryFiles: undefined,
  waitingForRelease: false,
  statsTimer: undefined,
  statsDue: false,
  txn: undefined,
  clockOffsetMs: 0,
};

/** The running engine, or undefined after telling the student that there is none. */
export function live(): LsmClient | undefined {
  if (session.client?.alive) return session.client;
  say(() => t('ui:msg.notRunning'), 'error');
  return undefined;
}
