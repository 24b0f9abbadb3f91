import { type RefObject, useEffect } from 'react';

/**
 * A reveal comes into view when it appears, under its question: the lesson's box scrolls so that the question
 * is at its top, then the verdict and as much of the explanation as fit (the rest scrolls; the code below keeps
 * its place). By hand, not scrollIntoView: that would scroll the page as well (a phone's, under the lesson sheet).
 */
export function useInView(ref: RefObject<HTMLElement | null>, shown: boolean): void {
  useEffect(() => {
    const element = ref.current;
    const box = element?.closest('.dock-body');
    const step = element?.closest('.lesson-step');
    if (!shown || !element || !box || !step) return;
    const question = step.querySelector('legend, .pick-question') ?? element;
    const top = box.getBoundingClientRect().top;
    const below = element.getBoundingClientRect().bottom - box.getBoundingClientRect().bottom;
    if (below > 0) box.scrollTop += Math.min(below + 4, question.getBoundingClientRect().top - top - 4);
  }, [ref, shown]);
}
