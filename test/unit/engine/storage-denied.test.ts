// Where the browser denies storage (a frame on another site with third-party storage blocked) the engine says so
// with its own error, StorageDenied, never "locked"; and the files of an engine that runs in memory can outlive
// its process, as a disk's would: copied out after a crash, a new tree recovers from them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, LsmError, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { deniedOr } from '../../../engine/errors';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { DatabaseLock } from '../../../engine/worker/locks';
import { text } from '../support/tree';

describe('storage the browser denies', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a SecurityError becomes StorageDenied; anything else stays what it was', () => {
    const denied = deniedOr(new DOMException('The request was denied.', 'SecurityError'));
    expect(denied).toBeInstanceOf(LsmError);
    expect((denied as LsmError).code).toBe(ErrorCode.StorageDenied);
    expect((denied as LsmError).message).toContain('The request was denied.');
    const missing = new DOMException('gone', 'NotFoundError');
    expect(deniedOr(missing)).toBe(missing);
  });

  // navigator.locks as the browser answers: a lock someone holds is granted as null; a denied page's request
  // rejects with a SecurityError.
  const locks = (answer: 'held' | 'denied') => ({
    request: vi.fn(async (_name: string, _options: object, callback: (lock: object | null) => unknown) => {
      if (answer === 'denied') throw new DOMException('The request was denied.', 'SecurityError');
      return callback(null);
    }),
  });

  it('a denied lock is StorageDenied at once, not a lock held by another tab', async () => {
    const stub = locks('denied');
    vi.stubGlobal('navigator', { locks: stub });
    const error = await new DatabaseLock().acquire('lab').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LsmError);
    expect((error as LsmError).code).toBe(ErrorCode.StorageDenied);
    expect(stub.request).toHaveBeenCalledTimes(1); // no retrying for seconds as if a dying worker held it
  });

  it('a lock another holder keeps is "locked" (false), after the retries', async () => {
    vi.useFakeTimers();
    try {
      const stub = locks('held');
      vi.stubGlobal('navigator', { locks: stub });
      const acquired = new DatabaseLock().acquire('lab');
      await vi.runAllTimersAsync();
      expect(await acquired).toBe(false);
      expect(stub.request.mock.calls.length).toBeGreaterThan(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('files in memory outlive the process', () => {
  it('copied after a process crash, a new tree recovers every acknowledged write', async () => {
    const memory = new MemoryStorage();
    const db = await LsmTree.open(memory, { memtableBytes: 256 });
    for (let i = 0; i < 20; i++) await db.put(utf8(`k${i}`), utf8(`v${i}`));
    // Copied with the tree's handles still open, as the worker hands its files over before it is terminated.
    const files = memory.copyFiles();
    expect(files.map(([name]) => name).sort()).toEqual(await memory.list());

    const reopened = await LsmTree.open(MemoryStorage.withFiles(files), { memtableBytes: 256 });
    for (let i = 0; i < 20; i++) expect(text(await reopened.get(utf8(`k${i}`)))).toBe(`v${i}`);
  });

  it('the copy holds every byte written, flushed or not, as a killed process leaves them', async () => {
    const memory = new MemoryStorage();
    const file = await memory.open('000001.log', { create: true });
    file.write(utf8('flushed'), { at: 0 });
    file.flush();
    file.write(utf8(' and not'), { at: 7 });
    const [[name, bytes] = ['', new Uint8Array()]] = memory.copyFiles();
    expect([name, text(bytes)]).toEqual(['000001.log', 'flushed and not']);
  });

  it('after a power loss the copy holds what the loss left, and recovery keeps every flushed write', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty, { memtableBytes: 4096 });
    for (let i = 0; i < 5; i++) await db.put(utf8(`k${i}`), utf8(`v${i}`));
    faulty.powerLoss(7);
    const reopened = await LsmTree.open(MemoryStorage.withFiles(memory.copyFiles()), { memtableBytes: 4096 });
    for (let i = 0; i < 5; i++) expect(text(await reopened.get(utf8(`k${i}`)))).toBe(`v${i}`);
  });
});
