// What an SSTable's card (and the Reads panel) says a Get did there: while the read is under way, the sub-step the
// player shows (the filter, the index, the block, the binary search), never a verdict the engine has not given yet.
import type { ReadStep } from './view';

type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

export function describeStep(step: SstableStep): string {
  switch (step.found) {
    case 'probing':
      return describeProbe(step);
    case 'out-of-range':
      return 'key out of range: skipped';
    case 'bloom-negative':
      return 'bloom filter: definitely not here';
    case 'absent':
      return `read block ${step.block}: not here`;
    case 'value':
      return `read block ${step.block}: found`;
    case 'tombstone':
      return `read block ${step.block}: tombstone`;
  }
}

/** What the card says while its read is under way: the sub-step being shown, never a verdict not yet given. */
function describeProbe(step: SstableStep): string {
  switch (step.phase) {
    case 'bloom':
      return step.bloom?.set.every(Boolean) ? 'bloom filter: maybe here…' : 'bloom filter: a bit is 0…';
    case 'index':
      return `sparse index: block ${step.block}…`;
    case 'block':
      return step.cached ? `block ${step.block}, from the cache…` : `read block ${step.block}…`;
    case 'search':
    case 'done':
      return step.restartPoints ? `${restartSearch(step)}…` : `binary search: ${step.compared.length} compared…`;
  }
}

/**
 * The same, in the few words an SSTable card has room for on one line: the sub-step being shown while the read is
 * under way, then the verdict.
 */
export function cardStep(step: SstableStep): string {
  switch (step.found) {
    case 'probing':
      switch (step.phase) {
        case 'bloom':
          return step.bloom?.set.every(Boolean) ? 'bloom: maybe here…' : 'bloom: a bit is 0…';
        case 'index':
          return `index → block ${step.block}…`;
        case 'block':
          return step.cached ? `block ${step.block}, cached…` : `reading block ${step.block}…`;
        case 'search':
        case 'done':
          return step.restartPoints ? `${restartSearch(step)}…` : `search: ${step.compared.length} compared…`;
      }
      break;
    case 'out-of-range':
      return 'out of range: skipped';
    case 'bloom-negative':
      return 'bloom: not here';
    case 'absent':
      return `block ${step.block}: not here`;
    case 'value':
      return `block ${step.block}: found`;
    case 'tombstone':
      return `block ${step.block}: tombstone`;
  }
}

/** A prefix-compressed block's search so far: restart points compared, then entries scanned in one run. */
function restartSearch(step: SstableStep): string {
  const probed = step.compared.filter((c) => c.restart !== undefined).length;
  return `restart points: ${probed} compared, run: ${step.compared.length - probed} scanned`;
}
