// The database's Web Lock: held for as long as this worker has the database open, so a second tab is told
// "locked" instead of fighting over files; the lock dies with this worker (terminate() releases it in under a
// millisecond, docs/platform.md "Works"). A lock the browser refuses outright (a SecurityError: a frame on another
// site with third-party storage blocked) is not a lock someone holds: it is StorageDenied, told apart here.
import { deniedOr, ErrorCode, LsmError } from '../errors';

/** Waits before retrying a lock: doubling from the first to the last, about 3 s in all. */
const FIRST_RETRY_MS = 25;
const LAST_RETRY_MS = 1600;

export class DatabaseLock {
  #release: (() => void) | undefined;

  /**
   * Resolves true once we hold the database's lock, false if someone else keeps holding it. A worker that was
   * just terminated releases its lock a moment later, so a few retries tell "a crash a millisecond ago" apart
   * from "another tab". Rejects with StorageDenied when the browser refuses this page locks at all.
   */
  async acquire(name: string): Promise<boolean> {
    if (!navigator.locks) return true;
    // Up to about 3 s: a worker terminated in the middle of synchronous work (a flush writing an SSTable) runs on
    // for up to ~2 s before Chromium stops it (its forcible-termination delay, docs/platform.md §3), and holds the
    // lock until then.
    for (let wait = FIRST_RETRY_MS; wait <= LAST_RETRY_MS; wait *= 2) {
      if (await this.#try(name)) return true;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return this.#try(name);
  }

  release(): void {
    this.#release?.();
  }

  /** True: ours now; false: another holder has it. Any failure of the request itself is an error, never false. */
  #try(name: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      navigator.locks
        .request(lockName(name), { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          resolve(true);
          return new Promise<void>((release) => {
            this.#release = release;
          });
        })
        .catch((error: unknown) => {
          const denied = deniedOr(error);
          reject(
            denied instanceof LsmError
              ? denied
              : new LsmError(ErrorCode.IoError, `the database's Web Lock failed: ${String(error)}`, { cause: error }),
          );
        });
    });
  }
}

function lockName(name: string): string {
  return `lsm-lab:${name}`;
}
