// What an SSTable's card (and the Reads panel) says a Get did there: while the read is under way, the sub-step the
// player shows (the filter, the index, the block, the binary search), never a verdict the engine has not given yet.
// Words from the `ui` message file (`readStep.*`), in the language chosen when called (at render).
import { t } from '../i18n';
import type { ReadStep } from './view';

type SstableStep = Extract<ReadStep, { where: 'sstable' }>;

export function describeStep(step: SstableStep): string {
  switch (step.found) {
    case 'probing':
      return describeProbe(step);
    case 'out-of-range':
      return t('ui:readStep.long.outOfRange');
    case 'bloom-negative':
      return t('ui:readStep.long.bloomNegative');
    case 'absent':
      return t('ui:readStep.long.absent', { block: step.block });
    case 'value':
      return t('ui:readStep.long.value', { block: step.block });
    case 'tombstone':
      return t('ui:readStep.long.tombstone', { block: step.block });
  }
}

/** What the card says while its read is under way: the sub-step being shown, never a verdict not yet given. */
function describeProbe(step: SstableStep): string {
  switch (step.phase) {
    case 'bloom':
      return step.bloom?.set.every(Boolean) ? t('ui:readStep.long.bloomMaybe') : t('ui:readStep.long.bloomBitZero');
    case 'index':
      return t('ui:readStep.long.index', { block: step.block });
    case 'block':
      return step.cached
        ? t('ui:readStep.long.blockCached', { block: step.block })
        : t('ui:readStep.long.blockRead', { block: step.block });
    case 'search':
    case 'done':
      return step.restartPoints
        ? t('ui:readStep.going', { what: restartSearch(step) })
        : t('ui:readStep.long.search', { count: step.compared.length });
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
          return step.bloom?.set.every(Boolean) ? t('ui:readStep.card.bloomMaybe') : t('ui:readStep.card.bloomBitZero');
        case 'index':
          return t('ui:readStep.card.index', { block: step.block });
        case 'block':
          return step.cached
            ? t('ui:readStep.card.blockCached', { block: step.block })
            : t('ui:readStep.card.blockRead', { block: step.block });
        case 'search':
        case 'done':
          return step.restartPoints
            ? t('ui:readStep.card.restartSearch', restartCounts(step))
            : t('ui:readStep.card.search', { count: step.compared.length });
      }
      break;
    case 'out-of-range':
      return t('ui:readStep.card.outOfRange');
    case 'bloom-negative':
      return t('ui:readStep.card.bloomNegative');
    case 'absent':
      return t('ui:readStep.card.absent', { block: step.block });
    case 'value':
      return t('ui:readStep.card.value', { block: step.block });
    case 'tombstone':
      return t('ui:readStep.card.tombstone', { block: step.block });
  }
}

/** A prefix-compressed block's search so far: restart points compared, then entries scanned in one run. */
function restartCounts(step: SstableStep): { probed: number; scanned: number } {
  const probed = step.compared.filter((c) => c.restart !== undefined).length;
  return { probed, scanned: step.compared.length - probed };
}

function restartSearch(step: SstableStep): string {
  return t('ui:readStep.restartSearch', restartCounts(step));
}
