// A Get inside an SSTable, folded event by event as the player shows it: each sub-step (the bloom filter, the sparse
// index, the block read, every comparison of the binary search) is a state of its own, and what the card says at each
// one is that sub-step, never the verdict the engine gives only after it (issue 20, item 14).
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, toHex, utf8 } from '../../../engine';
import { narrate } from '../../../web/model/narrate';
import { cardStep, describeStep } from '../../../web/model/read-step';
import type { TimelineEvent } from '../../../web/model/timeline';
import { applyEvent, foldEvents, type ReadStep, type ViewModel } from '../../../web/model/view';

type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

async function getThroughOneTable(key: string) {
  const events: TimelineEvent[] = [];
  const db = await LsmTree.open(new MemoryStorage(), {
    memtableBytes: 1 << 20,
    blockSize: 512,
    onEvent: (e) => events.push(e),
  });
  for (let i = 0; i < 40; i++) await db.put(utf8(`user:${String(i).padStart(2, '0')}`), utf8(`value ${i}`));
  await db.flush();
  const begin = events.length;
  await db.get(utf8(key));
  return { before: foldEvents(events.slice(0, begin)), read: events.slice(begin) };
}

/** The SSTable step of the read being shown, after each event of the read. */
function stepsShown(before: ViewModel, read: TimelineEvent[]): Array<{ event: string; step: SstableStep | undefined }> {
  let view = before;
  return read.map((event) => {
    view = applyEvent(view, event);
    const step = view.read?.steps.findLast((s): s is SstableStep => s.where === 'sstable');
    return { event: event.type, step };
  });
}

describe('a Get inside an SSTable, sub-step by sub-step', () => {
  it('shows the filter, the index, the block, each comparison, then the verdict, each in its turn', async () => {
    const { before, read } = await getThroughOneTable('user:27');
    const shown = stepsShown(before, read).filter((s) => s.step);
    const compares = read.filter((e) => e.type === 'read.compare').length;
    expect(compares).toBeGreaterThan(1);
    expect(shown.map((s) => [s.event, s.step!.phase, s.step!.found])).toEqual([
      ['read.bloom', 'bloom', 'probing'],
      ['read.index', 'index', 'probing'],
      ['read.block', 'block', 'probing'],
      ...Array.from({ length: compares }, () => ['read.compare', 'search', 'probing']),
      ['read.sstable', 'done', 'value'],
      ['read.end', 'done', 'value'],
    ]);
    const [bloom, index, block] = shown.map((s) => s.step!);
    // The filter's step knows the filter's answer and nothing of the block yet.
    expect(bloom!.bloom?.set.every(Boolean)).toBe(true);
    expect(bloom!.index).toBeUndefined();
    expect(bloom!.keys).toBeUndefined();
    expect(index!.index?.chosen).toBe(index!.block);
    // The block's step draws its entries: every key of the block, in order, the wanted one among them.
    expect(block!.keys).toHaveLength(block!.entries!);
    expect(block!.keys).toContain(toHex(utf8('user:27')));
    expect(block!.compared).toEqual([]);
    // The search grows one comparison per step, on the block's own keys, and the last one is the key.
    const searching = shown.filter((s) => s.event === 'read.compare').map((s) => s.step!);
    searching.forEach((step, i) => {
      expect(step.compared).toHaveLength(i + 1);
      const last = step.compared[i]!;
      expect(step.keys![last.entry]).toBe(last.key);
    });
    const verdict = shown.at(-1)!.step!;
    expect(verdict.compared).toEqual(searching.at(-1)!.compared);
    expect(verdict.compared.at(-1)).toMatchObject({ key: toHex(utf8('user:27')), order: 0 });
    expect(verdict.at).toBe(verdict.compared.at(-1)!.entry);
  });

  it('says on the card what the sub-step shown says, and the block result only with the verdict', async () => {
    const { before, read } = await getThroughOneTable('user:27');
    const said = stepsShown(before, read)
      .filter((s) => s.step)
      .map((s) => ({ event: s.event, text: describeStep(s.step!) }));
    const block = read.find((e) => e.type === 'read.block')!;
    expect(block.type === 'read.block' && block.block).toBeGreaterThan(0);
    const n = block.type === 'read.block' ? block.block : -1;
    for (const { event, text } of said) {
      if (event === 'read.sstable' || event === 'read.end') expect(text).toBe(`read block ${n}: found`);
      else expect(text, `after ${event}`).not.toMatch(/found|not here|tombstone/);
    }
    expect(said[0]).toEqual({ event: 'read.bloom', text: 'bloom filter: maybe here…' });
    expect(said[1]!.text).toBe(`sparse index: block ${n}…`);
    expect(said[2]!.text).toBe(`read block ${n}…`);
    // A prefix-compressed block (one run here): the search is told as restart points compared, then a run scanned.
    expect(said[3]!.text).toBe('restart points: 0 compared, run: 1 scanned…');
    expect(said[4]!.text).toBe('restart points: 0 compared, run: 2 scanned…');
    // The card says it in fewer words, as it goes.
    const onCard = stepsShown(before, read)
      .filter((s) => s.step)
      .map((s) => cardStep(s.step!));
    expect(onCard.slice(0, 5)).toEqual([
      'bloom: maybe here…',
      `index → block ${n}…`,
      `reading block ${n}…`,
      'restarts: 0, run: 1…',
      'restarts: 0, run: 2…',
    ]);
    expect(onCard.at(-1)).toBe(`block ${n}: found`);
  });

  it('a table its bloom filter rules out: the filter step, then the verdict, nothing read', async () => {
    const { before, read } = await getThroughOneTable('user:27x');
    const shown = stepsShown(before, read).filter((s) => s.step);
    expect(shown.map((s) => [s.event, s.step!.phase, s.step!.found])).toEqual([
      ['read.bloom', 'bloom', 'probing'],
      ['read.sstable', 'done', 'bloom-negative'],
      ['read.end', 'done', 'bloom-negative'],
    ]);
    expect(describeStep(shown[0]!.step!)).toBe('bloom filter: a bit is 0…');
    expect(shown[1]!.step!.keys).toBeUndefined();
  });

  it('a prefix-compressed block: its restart points from the block read, probes marked, the run at the verdict', async () => {
    const events: TimelineEvent[] = [];
    const db = await LsmTree.open(new MemoryStorage(), { blockSize: 64 * 1024, onEvent: (e) => events.push(e) });
    for (let i = 1; i <= 48; i++) await db.put(utf8(`user:${String(i).padStart(6, '0')}`), utf8(`v${i}`));
    await db.flush();
    const begin = events.length;
    await db.get(utf8('user:000037'));
    const shown = stepsShown(foldEvents(events.slice(0, begin)), events.slice(begin)).filter((s) => s.step);
    const block = shown.find((s) => s.event === 'read.block')!.step!;
    expect(block.restartPoints).toEqual([0, 16, 32]);
    expect(block.run).toBeUndefined();
    const searching = shown.filter((s) => s.event === 'read.compare').map((s) => s.step!);
    // Restart points 1 and 2 compared first (binary search), then the run from entry 32 (compared already): 33..36.
    expect(searching.at(-1)!.compared.map((c) => [c.entry, c.restart ?? null])).toEqual([
      [16, 1],
      [32, 2],
      [33, null],
      [34, null],
      [35, null],
      [36, null],
    ]);
    expect(describeStep(searching[1]!)).toBe('restart points: 2 compared, run: 0 scanned…');
    // The caption tells each step of the two searches in its own words.
    const told = events
      .slice(begin)
      .filter((e) => e.type === 'read.compare')
      .map(narrate);
    expect(told[0]).toBe(
      'Binary search over the restart points: restart point R1 (entry #16, its key stored whole) is user:000017, before user:000037: look right of it.',
    );
    expect(told[2]).toBe(
      'Scanning the run from restart point R2: entry #33, its key rebuilt from the one before, is user:000034, before user:000037: on to the next.',
    );
    expect(told.at(-1)).toMatch(
      /^Scanning the run from restart point R2: entry #36, .* is user:000037, the key: found\.$/,
    );
    const verdict = shown.find((s) => s.event === 'read.sstable')!.step!;
    expect(verdict.run).toEqual({ restart: 2, from: 32, to: 36 });
    expect(verdict.at).toBe(36);
    await db.close();
  });
});
