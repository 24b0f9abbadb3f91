// Real crashes, in real Chromium, on real OPFS: worker.terminate() at random moments of a bulk load, 20 times
// over one database that keeps growing through flushes and compactions. After each, a new worker recovers and
// every write that was acknowledged before the crash must be there.
import { expect, it } from 'vitest';
import { LsmClient } from '../../engine/worker/client';

const encode = (text: string) => new TextEncoder().encode(text);

it('terminating the worker at 20 random moments of a bulk load loses no acknowledged write', async () => {
  const name = 'browser-test-terminate';
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(name, { recursive: true }).catch(() => {});

  const acknowledged = new Map<string, string>();
  /** Per key, values issued after its last acknowledged one: a crash may or may not have kept them. */
  const inDoubt = new Map<string, Set<string>>();
  /** Keys whose recovered value is neither the acknowledged one nor a later issued one. */
  async function lostKeys(client: LsmClient): Promise<number> {
    const check = await client.verify([...acknowledged].map(([k, v]) => [encode(k), encode(v)]));
    let count = 0;
    for (const hex of check.missing) {
      const key = new TextDecoder().decode(Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16))));
      const { value } = await client.get(encode(key));
      const text = value ? new TextDecoder().decode(value) : null;
      if (text === null || !inDoubt.get(key)?.has(text)) count++;
    }
    return count;
  }
  let random = 12345;
  const next = () => {
    random = (Math.imul(random, 1103515245) + 12345) >>> 0;
    return random / 2 ** 32;
  };
  let lost = 0;
  let writes = 0;
  for (let round = 0; round < 20; round++) {
    const { client, result } = await LsmClient.open(name, { memtableBytes: 1024, l0Trigger: 2 }, () => {});
    expect(result.status).toBe('open');
    // Every write acknowledged so far, in any earlier round, must have survived every crash since.
    lost += await lostKeys(client);

    // Puts stream in (several in flight at once); the crash comes at a random moment, mid-whatever.
    const crashAfterMs = 5 + next() * 60;
    const started = performance.now();
    const inFlight: Array<Promise<void>> = [];
    while (performance.now() - started < crashAfterMs) {
      for (let i = 0; i < 4; i++) {
        const key = `k${Math.floor(next() * 5000)}`;
        const value = `r${round}w${writes++}`;
        if (!inDoubt.has(key)) inDoubt.set(key, new Set());
        inDoubt.get(key)!.add(value);
        inFlight.push(
          client.put(encode(key), encode(value)).then(
            () => {
              acknowledged.set(key, value);
              // Acknowledged in order: everything issued for this key up to here is settled.
              const pending = inDoubt.get(key)!;
              for (const v of [...pending]) {
                pending.delete(v);
                if (v === value) break;
              }
            },
            () => {}, // crashed before the answer: in doubt, either outcome is correct
          ),
        );
      }
      await Promise.race([...inFlight.slice(-4), new Promise((resolve) => setTimeout(resolve, 1))]);
    }
    client.crash();
    await Promise.all(inFlight);
  }
  const { client } = await LsmClient.open(name, { memtableBytes: 1024 }, () => {});
  lost += await lostKeys(client);
  const stats = await client.stats();
  await client.close();
  console.log(
    `20 terminations mid-load: ${writes} writes issued, ${acknowledged.size} keys acknowledged, lost ${lost}; ${stats.levels.length} levels now`,
  );
  expect(acknowledged.size).toBeGreaterThan(100);
  expect(lost).toBe(0);
});
