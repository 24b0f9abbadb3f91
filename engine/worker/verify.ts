// The durability check after a recovery: every write the page's oracle (oracle.ts) says was acknowledged is read
// back, quietly (no events, no counters), and sorted into found, missing and unreadable (a checksum caught damage).
import { equalBytes, toHex } from '../bytes';
import { ErrorCode, LsmError } from '../errors';
import type { LsmTree } from '../tree';
import type { VerifyResult } from './protocol';

/** `expected`: per key, the value its last acknowledged write left, or null for a delete. */
export async function verify(
  db: LsmTree,
  expected: ReadonlyArray<[Uint8Array, Uint8Array | null]>,
): Promise<VerifyResult> {
  const missing: string[] = [];
  const unreadable: Array<{ key: string; error: string }> = [];
  for (const [key, value] of expected) {
    let actual: Uint8Array | undefined;
    try {
      ({ value: actual } = await db.lookup(key, { trace: false }));
    } catch (error) {
      // A checksum caught damage (the corruption lab's flipped byte): report it, do not call it lost or found.
      if (error instanceof LsmError && error.code === ErrorCode.Corruption) {
        unreadable.push({ key: toHex(key), error: error.message });
        continue;
      }
      throw error;
    }
    const same = value === null ? actual === undefined : actual !== undefined && equalBytes(actual, value);
    if (!same) missing.push(toHex(key));
  }
  return {
    checked: expected.length,
    found: expected.length - missing.length - unreadable.length,
    missing,
    unreadable,
  };
}
