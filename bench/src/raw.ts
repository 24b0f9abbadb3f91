// The anchors: what OPFS itself does with the same bytes and no engine at all. A sync access handle in this
// worker, records laid end to end, no framing, no checksums, no index: the floor every engine sits on.
import { bulkSample, freshDirectory, MiB, passes, presentKey, record, removeEntry, Timer, valuePool } from './common';
import type { Measures, Sample, Task, TaskResult } from './protocol';

type RawTask<K extends Task['kind']> = Extract<Task, { kind: K }>;

async function freshFile(dir: string, name: string): Promise<FileSystemSyncAccessHandle> {
  const directory = await freshDirectory(dir);
  const handle = await directory.getFileHandle(name, { create: true });
  return handle.createSyncAccessHandle();
}

function records(n: number, valueBytes: number): Uint8Array[] {
  const values = valuePool(valueBytes);
  return Array.from({ length: n }, (_, i) => record(presentKey(i), values[i % values.length]!));
}

/** Append one record, flush(): the durable write an engine's put cannot beat. */
export async function rawPut(task: RawTask<'raw.put'>): Promise<TaskResult> {
  const data = records(task.n, task.valueBytes);
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const file = await freshFile('bench-raw-put', 'append.log');
    const timer = new Timer(task.n);
    let at = 0;
    timer.start();
    for (const bytes of data) {
      timer.timeSync(() => {
        at += file.write(bytes, { at });
        file.flush();
      });
    }
    samples.push(timer.sample(task.n, at));
    file.close();
  }
  await removeEntry('bench-raw-put');
  return { measures: { put: samples }, info: { recordBytes: data[0]!.length } };
}

/** `batch` records per write(), one flush() per write: group commit with nothing else around it. */
export async function rawBatched(task: RawTask<'raw.batched'>): Promise<TaskResult> {
  const data = records(task.n, task.valueBytes);
  const samples: Sample[] = [];
  const recordBytes = data[0]!.length;
  const buffer = new Uint8Array(recordBytes * task.batch);
  for (let rep = 0; rep < task.reps; rep++) {
    const file = await freshFile('bench-raw-batched', 'append.log');
    const timer = new Timer(Math.ceil(task.n / task.batch));
    let at = 0;
    timer.start();
    for (let i = 0; i < data.length; i += task.batch) {
      const count = Math.min(task.batch, data.length - i);
      // Laying the records into one buffer is part of the cost, as it is for an engine.
      for (let j = 0; j < count; j++) buffer.set(data[i + j]!, j * recordBytes);
      timer.timeSync(() => {
        at += file.write(buffer.subarray(0, count * recordBytes), { at });
        file.flush();
      });
    }
    samples.push(timer.sample(task.n, at));
    file.close();
  }
  await removeEntry('bench-raw-batched');
  return { measures: { batched: samples }, info: { recordBytes, batch: task.batch } };
}

/**
 * n records of 116 bytes in one file; then random 116-byte reads at record offsets (the floor of a point
 * read: no search, no checksum, no parsing) and a sequential read of the whole file in 64 KiB chunks.
 */
export async function rawRead(task: RawTask<'raw.read'>): Promise<TaskResult> {
  const data = records(task.n, 100);
  const recordBytes = data[0]!.length;
  const file = await freshFile('bench-raw-read', 'records.dat');
  const chunk = new Uint8Array(MiB);
  let at = 0;
  let fill = 0;
  for (const bytes of data) {
    if (fill + bytes.length > chunk.length) {
      at += file.write(chunk.subarray(0, fill), { at });
      fill = 0;
    }
    chunk.set(bytes, fill);
    fill += bytes.length;
  }
  at += file.write(chunk.subarray(0, fill), { at });
  file.flush();
  const fileBytes = at;

  const measures: Measures = { 'random-read': [], 'sequential-read': [] };
  const out = new Uint8Array(recordBytes);
  const offsets = new Float64Array(task.gets);
  const pick = (seed: number) => {
    let state = seed;
    for (let i = 0; i < task.gets; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      offsets[i] = (state % task.n) * recordBytes;
    }
  };
  pick(1); // warm-up pass
  for (let i = 0; i < task.gets; i++) file.read(out, { at: offsets[i]! });
  for (let rep = 0; rep < task.reps; rep++) {
    pick(rep + 2);
    measures['random-read']!.push(
      await passes(task.gets, task.gets * recordBytes, (i) => file.read(out, { at: offsets[i]! })),
    );
  }
  const readChunk = new Uint8Array(64 * 1024);
  for (let rep = 0; rep < task.reps; rep++) {
    const started = performance.now();
    for (let pos = 0; pos < fileBytes; ) pos += file.read(readChunk, { at: pos });
    measures['sequential-read']!.push(bulkSample(task.n, fileBytes, started));
  }
  file.close();
  await removeEntry('bench-raw-read');
  return { measures, info: { recordBytes, fileBytes } };
}

/** Sequential read of an existing file in 64 KiB chunks: the anchor of WAL replay. */
export function sequentialRead(file: FileSystemSyncAccessHandle): Sample {
  const size = file.getSize();
  const chunk = new Uint8Array(64 * 1024);
  const started = performance.now();
  for (let pos = 0; pos < size; ) pos += file.read(chunk, { at: pos });
  return bulkSample(0, size, started);
}

/**
 * The I/O floor of a compaction that reads `readBytes` and writes `writeBytes`: read one file and write another
 * in 256 KiB chunks, then flush. No merging, no checksums.
 */
export async function rawCopy(dir: FileSystemDirectoryHandle, readBytes: number, writeBytes: number): Promise<Sample> {
  const source = await (await dir.getFileHandle('copy-in.dat', { create: true })).createSyncAccessHandle();
  const target = await (await dir.getFileHandle('copy-out.dat', { create: true })).createSyncAccessHandle();
  const chunk = new Uint8Array(256 * 1024).fill(0x61);
  for (let at = 0; at < readBytes; )
    at += source.write(chunk.subarray(0, Math.min(chunk.length, readBytes - at)), { at });
  source.flush();
  target.truncate(0);
  const started = performance.now();
  let written = 0;
  for (let at = 0; at < readBytes; ) {
    const got = source.read(chunk, { at });
    if (got === 0) break;
    at += got;
    if (written < writeBytes)
      written += target.write(chunk.subarray(0, Math.min(got, writeBytes - written)), { at: written });
  }
  while (written < writeBytes)
    written += target.write(chunk.subarray(0, Math.min(chunk.length, writeBytes - written)), { at: written });
  target.flush();
  const sample = bulkSample(0, writeBytes, started);
  source.close();
  target.close();
  await dir.removeEntry('copy-in.dat');
  await dir.removeEntry('copy-out.dat');
  return sample;
}
