// Text in a box of fixed height: the caption and the status above the picture. Their boxes never grow (the
// picture under them would jump on every step), and their text is never cut: a sentence too long for the box at
// its CSS size is set smaller, a pixel at a time, until it fits. Measured again when the text changes and when
// the box is resized (the dock opened, presenter mode, another screen).
import { useLayoutEffect, useRef } from 'react';

/** How small the text may get, as a share of its CSS size. */
const SMALLEST = 0.6;

function shrinkToFit(box: HTMLElement): void {
  box.style.fontSize = '';
  const natural = Number.parseFloat(getComputedStyle(box).fontSize);
  let size = natural;
  while (box.scrollHeight > box.clientHeight && size > natural * SMALLEST) {
    size -= 1;
    box.style.fontSize = `${size}px`;
  }
}

/** A ref for a box of fixed height whose `text` must show whole. */
export function useFitText<T extends HTMLElement>(text: string) {
  const box = useRef<T>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new text is the reason to measure again
  useLayoutEffect(() => {
    if (box.current) shrinkToFit(box.current);
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
