// Reads as the picture shows them: a get's path (memtable, then each SSTable in read order, some skipped by their
// bloom filter) step by step, inside an SSTable sub-step by sub-step (filter, index, block, each comparison of the
// binary search, verdict), and a scan's merge of every source into key order.
import { staleRead, staleScan } from './memtable';
import type { EventOf, ReadStep, ReadView, ViewModel } from './view-model';

type SstableStep = Extract<ReadStep, { where: 'sstable' }>;
type ReadEvent =
  | 'read.begin'
  | 'read.memtable'
  | 'read.bloom'
  | 'read.index'
  | 'read.block'
  | 'read.compare'
  | 'read.sstable'
  | 'read.end'
  | 'scan.begin'
  | 'scan.step'
  | 'scan.end';

export function applyReadEvent(view: ViewModel, event: EventOf<ReadEvent>): ViewModel {
  switch (event.type) {
    case 'read.begin':
      return {
        ...view,
        read: {
          key: event.key,
          steps: [],
          done: false,
          found: false,
          value: null,
          source: null,
          tablesChecked: 0,
          bloomSkips: 0,
          blocksRead: 0,
          hidden: null,
          stale: false,
          at: event.at ?? null,
          memtableSeq: null,
        },
        scan: staleScan(view),
        focus: { kind: 'none' },
      };
    case 'read.memtable':
      return {
        ...view,
        read: view.read && {
          ...view.read,
          steps: [...view.read.steps, { where: 'memtable', found: event.found }],
          memtableSeq: event.seq ?? null,
        },
        memtable: {
          ...view.memtable,
          search: event.path ? { key: event.key, path: event.path, kind: 'get' } : null,
        },
        focus: { kind: 'memtable', key: event.key },
      };
    case 'read.bloom':
      return probed(view, event, (step) => ({ ...step, phase: 'bloom', bloom: event.bloom }));
    case 'read.index':
      return probed(view, event, (step) => ({
        ...step,
        phase: 'index',
        index: event.index,
        block: event.index.chosen,
      }));
    case 'read.block':
      return probed(view, event, (step) => ({
        ...step,
        phase: 'block',
        block: event.block,
        blockSize: event.blockSize,
        cached: event.cached,
        entries: event.entries,
        ...(event.keys ? { keys: event.keys } : {}),
        ...(event.restarts ? { restartPoints: event.restarts } : {}),
      }));
    case 'read.compare':
      return probed(view, event, (step) => ({
        ...step,
        phase: 'search',
        compared: [
          ...step.compared,
          {
            entry: event.entry,
            key: event.with,
            order: event.order,
            ...(event.restart === undefined ? {} : { restart: event.restart }),
            ...(event.run === undefined ? {} : { run: event.run }),
          },
        ],
      }));
    case 'read.sstable':
      // The verdict: what the sub-steps showed, completed by what the event repeats of them.
      return probed(view, event, (step) => {
        const done: SstableStep = { ...step, phase: 'done', found: event.found };
        if (event.block !== undefined) done.block = event.block;
        if (event.blockSize !== undefined) done.blockSize = event.blockSize;
        if (event.bloom) done.bloom = event.bloom;
        if (event.index) done.index = event.index;
        if (event.search) {
          done.compared = event.search.compared;
          done.entries = event.search.entries;
          done.at = event.search.at;
          if (event.search.restarts) {
            done.restartPoints = event.search.restarts.points;
            done.run = event.search.restarts.run;
          }
        }
        return done;
      });
    case 'read.end':
      return {
        ...view,
        read: view.read && {
          ...view.read,
          done: true,
          found: event.found,
          value: event.value,
          source: event.source,
          tablesChecked: event.tablesChecked,
          bloomSkips: event.bloomSkips,
          blocksRead: event.blocksRead,
          hidden: event.hidden ?? null,
        },
      };
    case 'scan.begin':
      return {
        ...view,
        read: staleRead(view),
        scan: {
          start: event.start,
          end: event.end,
          sources: event.sources,
          at: event.at ?? null,
          steps: [],
          cursors: {},
          stale: false,
          results: [],
          count: 0,
          shadowed: 0,
          tombstones: 0,
          done: false,
        },
      };
    case 'scan.step': {
      if (!view.scan) return view;
      // Every source holding a version of the key moved its cursor past it: the winner's and the skipped ones'.
      const cursors = { ...view.scan.cursors, [event.source]: event.key };
      for (const skipped of event.skipped) cursors[skipped.source] = event.key;
      const { type: _type, id: _id, ...step } = event;
      return {
        ...view,
        scan: { ...view.scan, steps: [...view.scan.steps, step], cursors },
        focus:
          event.source === 'memtable' ? { kind: 'memtable', key: event.key } : { kind: 'sstable', file: event.source },
      };
    }
    case 'scan.end':
      return {
        ...view,
        scan: view.scan && {
          ...view.scan,
          results: event.results,
          count: event.count,
          shadowed: event.shadowed,
          tombstones: event.tombstones,
          done: true,
        },
      };
  }
}

/**
 * The read with the step of `event.file` changed by `change`: the step its sub-steps are building (the last one, of
 * that file, still probing), or a new one.
 */
function probed(
  view: ViewModel,
  event: { file: string; level: number },
  change: (step: SstableStep) => SstableStep,
): ViewModel {
  const read = view.read;
  if (!read) return view;
  const last = read.steps[read.steps.length - 1];
  const building = last?.where === 'sstable' && last.file === event.file && last.found === 'probing';
  const step = change(
    building
      ? last
      : { where: 'sstable', file: event.file, level: event.level, found: 'probing', phase: 'bloom', compared: [] },
  );
  const steps: ReadView['steps'] = building ? [...read.steps.slice(0, -1), step] : [...read.steps, step];
  return { ...view, read: { ...read, steps }, focus: { kind: 'sstable', file: event.file } };
}
