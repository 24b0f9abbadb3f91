// A question on the picture is answered when its button is pressed: while the step's actions run, the picture
// already shows what the engine does, and pointing then would be answering after seeing. The reveal judges what
// was pointed at when the answer was sent.
import { beforeEach, describe, expect, it } from 'vitest';
import { askPick, endPick, lockPick, markOf, revealPick, togglePick, usePick } from '../../../web/store/pick';

const chosen = () => usePick.getState().pick?.chosen;

describe('a question on the picture', () => {
  beforeEach(endPick);

  it('takes no more pointing once its answer is sent, and judges the answer sent', () => {
    askPick('table');
    togglePick('000005.sst');
    lockPick();
    // The compaction is running; its inputs are on the picture now.
    togglePick('000007.sst');
    togglePick('000005.sst');
    expect(chosen()).toEqual(['000005.sst']);
    expect(revealPick(['000005.sst', '000007.sst'])).toBe(false);
    expect(markOf(usePick.getState().pick, 'table', '000007.sst')).toBe('missed');
  });

  it('a single answer moves until it is sent', () => {
    askPick('level', true);
    togglePick('L0');
    togglePick('L1');
    expect(chosen()).toEqual(['L1']);
    lockPick();
    togglePick('L2');
    expect(revealPick(['L1'])).toBe(true);
  });

  it('a new question starts open, and nothing is pointed at after it ends', () => {
    askPick('level', true);
    lockPick();
    askPick('table');
    togglePick('000004.sst');
    expect(chosen()).toEqual(['000004.sst']);
    endPick();
    togglePick('000004.sst');
    expect(usePick.getState().pick).toBeNull();
  });
});
