// The seed's tests, in spirit: basic put/get, updates, flush at the threshold, WAL recovery.
import { describe, expect, it } from 'vitest';
import { type EngineEvent, LsmTree, MemoryStorage, utf8 } from '../../engine';

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

describe('LsmTree (seed parity)', () => {
  it('BasicPutGet', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    await db.put(utf8('user:123'), utf8('Alice'));
    await db.put(utf8('user:456'), utf8('Bob'));
    expect(text(await db.get(utf8('user:123')))).toBe('Alice');
    expect(text(await db.get(utf8('user:456')))).toBe('Bob');
    expect(await db.get(utf8('user:789'))).toBeUndefined();
  });

  it('UpdatesOverrideOldValues, across memtable and SSTables', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    await db.put(utf8('user:123'), utf8('Alice'));
    await db.flush();
    expect(text(await db.get(utf8('user:123')))).toBe('Alice');
    await db.put(utf8('user:123'), utf8('Alice Smith'));
    expect(text(await db.get(utf8('user:123')))).toBe('Alice Smith');
    await db.flush();
    expect(text(await db.get(utf8('user:123')))).toBe('Alice Smith');
    await db.delete(utf8('user:123'));
    expect(await db.get(utf8('user:123'))).toBeUndefined();
    await db.flush();
    expect(await db.get(utf8('user:123'))).toBeUndefined();
  });

  it('FlushesAtTheThreshold into an SSTable and a fresh WAL', async () => {
    const storage = new MemoryStorage();
    const events: EngineEvent[] = [];
    const db = await LsmTree.open(storage, { memtableBytes: 200, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 20; i++) await db.put(utf8(`key${String(i).padStart(3, '0')}`), utf8('value'));
    const state = await db.describe();
    expect(state.tables.length).toBeGreaterThan(0);
    expect(
      events.filter((e) => e.type === 'flush.begin').every((e) => e.type === 'flush.begin' && e.reason === 'threshold'),
    ).toBe(true);
    const files = await storage.list();
    expect(files.filter((f) => f.endsWith('.log'))).toEqual([state.wal.file]);
    expect(files.filter((f) => f.endsWith('.sst')).sort()).toEqual(state.tables.map((t) => t.file).sort());
    for (let i = 0; i < 20; i++) expect(text(await db.get(utf8(`key${String(i).padStart(3, '0')}`)))).toBe('value');
  });

  it('WalRecovery: put, crash without flushing, reopen, the value is back', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('key'), utf8('value'));
    storage.crash();
    const events: EngineEvent[] = [];
    const reopened = await LsmTree.open(storage, { onEvent: (e) => events.push(e) });
    expect(text(await reopened.get(utf8('key')))).toBe('value');
    expect(events.filter((e) => e.type === 'recovery.replay')).toHaveLength(1);
  });
});
