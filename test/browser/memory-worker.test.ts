// An engine whose files live in its worker's memory (where the browser denies the page storage): a simulated crash
// terminates the worker for real, but first it hands its files over, as a disk would keep them; the next worker
// recovers from them. In real Chromium, in a real module Worker.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../engine/errors';
import { LsmClient } from '../../engine/worker/client';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

describe('an engine in memory, crashed', () => {
  it('recovers every acknowledged write from the files the crashed worker handed over', async () => {
    const { client, result } = await LsmClient.open('memory-db', { memtableBytes: 256 }, () => {}, []);
    expect(result).toMatchObject({ status: 'open', persistent: false });
    for (let i = 0; i < 30; i++) await client.put(encode(`k${i}`), encode(`v${i}`));
    const inFlight = client.put(encode('in flight'), encode('maybe')).catch((error: unknown) => error);
    const files = await client.crashKeepingFiles();
    // Calls still waiting are rejected as by any crash; the worker is gone.
    expect(await inFlight).toMatchObject({ code: ErrorCode.Crashed });
    expect(client.alive).toBe(false);
    expect(files.map(([name]) => name)).toEqual(expect.arrayContaining([expect.stringMatching(/\.log$/)]));

    const next = await LsmClient.open('memory-db', { memtableBytes: 256 }, () => {}, files);
    expect(next.result).toMatchObject({ status: 'open', persistent: false });
    for (let i = 0; i < 30; i++) expect(decode((await next.client.get(encode(`k${i}`))).value)).toBe(`v${i}`);
    await next.client.close();
  });
});
