// Text in a box of fixed height: the caption and the status above the picture. Their boxes never grow (the
// picture under them would jump on every step), and their text is never cut: a sentence too long for the box at
// its CSS size is set smaller, a pixel at a time, until it fits. Measured again when the text changes and when
// the box is resized (the dock opened, presenter mode, another screen).
import { useLayoutEffect, useRef } from 'react';

/** How small the text may get, as a share of its CSS size. */
const SMALLEST = 0.6;

function shrinkToFit(box: HTMLElement): void {
  box.style.fontSize = '';
  // Most texts fit at the CSS size: one measurement, and the layout it forces is the one the frame needs anyway.
  if (box.scrollHeight <= box.clientHeight) return;
  const natural = Number.parseFloat(getComputedStyle(box).fontSize);
  // The largest size a whole number of pixels below the CSS size that fits, down to SMALLEST: found by halving
  // (three or four layouts of the box) rather than a pixel at a time (up to eight). `fewest` pixels less may fit,
  // `most` less is as small as the text gets.
  let fewest = 1;
  let most = Math.ceil(natural * (1 - SMALLEST));
  while (fewest < most) {
    const middle = (fewest + most) >> 1;
    box.style.fontSize = `${natural - middle}px`;
    if (box.scrollHeight <= box.clientHeight) most = middle;
    else fewest = middle + 1;
  }
  box.style.fontSize = `${natural - fewest}px`;
}

/**
 * A ref for a box of fixed height whose `text` must show whole. `inFrame`: measure in the next animation frame (before
 * it is painted) rather than at once. A workload's picture is rendered in a timer task (store/player.ts); measuring
 * there forced the page's layout inside that task, which the frame then did not need to do: in the frame, the task
 * that renders stays short and the layout is where the browser would do it anyway.
 */
export function useFitText<T extends HTMLElement>(text: string, inFrame = false) {
  const box = useRef<T>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new text is the reason to measure again
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    if (!inFrame) {
      shrinkToFit(element);
      return;
    }
    const frame = requestAnimationFrame(() => shrinkToFit(element));
    return () => cancelAnimationFrame(frame);
  }, [text]);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    let size = `${element.clientWidth}×${element.clientHeight}`;
    const observer = new ResizeObserver(() => {
      // A new width moves the line breaks; a new height (presenter mode's larger box) changes the room. Fitting sets
      // the font size only, never the box's size (its height is in rem), so this cannot loop.
      const now = `${element.clientWidth}×${element.clientHeight}`;
      if (now === size) return;
      size = now;
      shrinkToFit(element);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return box;
}
