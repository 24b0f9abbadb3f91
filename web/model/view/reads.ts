// Reads as the picture shows them: a get's path (memtable, then each SSTable in read order, some skipped by their
// bloom filter) step by step, and a scan's merge of every source into key order.
import type { EventOf, ReadStep, ViewModel } from './view-model';

export function applyReadEvent(
  view: ViewModel,
  event: EventOf<'read.begin' | 'read.memtable' | 'read.sstable' | 'read.end' | 'scan.begin' | 'scan.end'>,
): ViewModel {
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
        },
        focus: { kind: 'none' },
      };
    case 'read.memtable':
      return {
        ...view,
        read: view.read && { ...view.read, steps: [...view.read.steps, { where: 'memtable', found: event.found }] },
        memtable: {
          ...view.memtable,
          search: event.path ? { key: event.key, path: event.path, kind: 'get' } : null,
        },
        focus: { kind: 'memtable', key: event.key },
      };
    case 'read.sstable': {
      const step: ReadStep = { where: 'sstable', file: event.file, level: event.level, found: event.found };
      if (event.block !== undefined) step.block = event.block;
      if (event.bloom) step.bloom = event.bloom;
      if (event.index) step.index = event.index;
      if (event.search) step.search = event.search;
      return {
        ...view,
        read: view.read && { ...view.read, steps: [...view.read.steps, step] },
        focus: { kind: 'sstable', file: event.file },
      };
    }
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
        scan: {
          start: event.start,
          end: event.end,
          sources: event.sources,
          results: [],
          count: 0,
          shadowed: 0,
          tombstones: 0,
          done: false,
        },
      };
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
