// The engine in its real home: a module Worker writing OPFS files through sync access handles, in
// Chromium. Each test starts by deleting its own database directory (the profile is persistent).
import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../../engine/worker/client';
import { LsmClient } from '../../engine/worker/client';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

async function wipe(name: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(name, { recursive: true }).catch(() => {});
}

async function filesOf(name: string): Promise<Record<string, number>> {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(name);
  const out: Record<string, number> = {};
  for await (const [file, handle] of dir.entries()) {
    if (handle.kind === 'file') out[file] = (await (handle as FileSystemFileHandle).getFile()).size;
  }
  return out;
}

async function openOrFail(name: string, memtableBytes: number, events: WorkerEvent[] = []) {
  const { client, result } = await LsmClient.open(name, { memtableBytes }, (batch) => events.push(...batch));
  if (result.status !== 'open') throw new Error(`expected the database to open, got ${result.status}`);
  return { client, result };
}

describe('engine worker on OPFS', () => {
  const name = 'browser-test-db';
  beforeEach(() => wipe(name));

  it('puts, flushes and reopens from real OPFS files', async () => {
    const { client, result } = await openOrFail(name, 1024 * 1024);
    expect(result.persistent).toBe(true);
    for (let i = 0; i < 100; i++) await client.put(encode(`key${i}`), encode(`value${i}`));
    await client.flush();
    await client.put(encode('after-flush'), encode('in the WAL only'));
    await client.close();

    const files = await filesOf(name);
    const names = Object.keys(files).sort();
    expect(names.filter((f) => f.endsWith('.sst'))).toHaveLength(1);
    expect(names.filter((f) => f.endsWith('.log'))).toHaveLength(1);
    expect(names.some((f) => f.startsWith('MANIFEST-'))).toBe(true);
    const sst = names.find((f) => f.endsWith('.sst'))!;
    expect(files[sst]).toBeGreaterThan(100 * 10);

    const events: WorkerEvent[] = [];
    const { client: reopened } = await openOrFail(name, 1024 * 1024, events);
    expect(decode((await reopened.get(encode('key42'))).value)).toBe('value42');
    const fromWal = await reopened.get(encode('after-flush'));
    expect(decode(fromWal.value)).toBe('in the WAL only');
    expect(fromWal.source).toBe('memtable');
    expect((await reopened.get(encode('key7'))).source).toBe(sst);
    expect(events.filter((e) => e.type === 'recovery.replay')).toHaveLength(1);
    await reopened.close();
  });

  it('survives worker.terminate(): every acknowledged put is back after recovery', async () => {
    const { client } = await openOrFail(name, 512);
    const acknowledged: Array<[Uint8Array, Uint8Array | null]> = [];
    for (let i = 0; i < 60; i++) {
      const key = encode(`user:${String(i).padStart(3, '0')}`);
      const value = encode(`v${i}`);
      await client.put(key, value);
      acknowledged.push([key, value]);
    }
    await client.delete(encode('user:007'));
    acknowledged[7] = [encode('user:007'), null];
    client.crash();
    await expect(client.put(encode('late'), encode('x'))).rejects.toMatchObject({ code: 'crashed' });

    const events: WorkerEvent[] = [];
    const { client: recovered } = await openOrFail(name, 512, events);
    const report = await recovered.verify(acknowledged);
    expect(report).toEqual({ checked: 60, found: 60, missing: [], unreadable: [] });
    expect(events.some((e) => e.type === 'recovery.replay')).toBe(true);
    await recovered.close();
  });

  it('compactRange and snapshots through the client: a snapshot id reads the past, compactRange frees deletes', async () => {
    const { client } = await openOrFail(name, 2048);
    for (let i = 0; i < 200; i++) await client.put(encode(`key${String(i).padStart(3, '0')}`), encode('old'));
    const snapshot = await client.snapshot();
    for (let i = 0; i < 200; i++) await client.delete(encode(`key${String(i).padStart(3, '0')}`));
    expect((await client.get(encode('key042'))).value).toBeNull();
    expect(decode((await client.get(encode('key042'), snapshot.id)).value)).toBe('old');
    expect((await client.scan(null, null, snapshot.id)).count).toBe(200);
    expect((await client.scan(null, null)).count).toBe(0);
    await client.releaseSnapshot(snapshot.id);
    await expect(client.get(encode('key042'), snapshot.id)).rejects.toMatchObject({ code: 'invalid-argument' });
    const done = await client.compactRange();
    expect(done.compactions).toBeGreaterThan(0);
    expect((await client.describe()).tables).toEqual([]);
    await client.close();
  });

  it('locks the database to one worker: a second open is told "locked" until the first dies', async () => {
    const { client: first } = await openOrFail(name, 1024);
    await first.put(encode('k'), encode('v'));
    const second = await LsmClient.open(name, { memtableBytes: 1024 }, () => {});
    expect(second.result.status).toBe('locked');

    first.crash();
    const { client: third } = await openOrFail(name, 1024);
    expect(decode((await third.get(encode('k'))).value)).toBe('v');
    await third.close();
  });

  it('reset deletes every file and starts an empty database', async () => {
    const { client } = await openOrFail(name, 64);
    for (let i = 0; i < 10; i++) await client.put(encode(`k${i}`), encode('some value'));
    const before = await filesOf(name);
    expect(Object.keys(before).some((f) => f.endsWith('.sst'))).toBe(true);
    const result = await client.reset();
    expect(result.status).toBe('open');
    const after = Object.keys(await filesOf(name));
    expect(after.some((f) => f.endsWith('.sst'))).toBe(false);
    expect((await client.get(encode('k1'))).value).toBeNull();
    await client.close();
  });
});
