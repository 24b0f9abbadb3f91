// How many rows of a list fit in the space its panel gives it. The picture is exactly one screen tall, so a list
// (the WAL's records, the memtable's entries) shows as many rows as fit, and says how many more there are,
// instead of scrolling or spilling out of its panel. Measured with a ResizeObserver: a projector, presenter mode
// and a phone all give the list a different height and its rows a different size.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** The rows whose tallest sets the row height: a skip list's head, the first entries, the "… more" line. */
const MEASURED_ROWS = 4;

/**
 * Returns a ref callback for the list and the number of rows that fit in it: `fallback` until a row has been
 * measured (and where nothing can be measured). The list must take its height from its panel (CSS class `grow`),
 * not from its rows.
 */
export function useRowsThatFit<T extends HTMLElement>(fallback: number): [(list: T | null) => void, number] {
  const element = useRef<T | null>(null);
  const rowHeight = useRef(0);
  /** How many rows the height was measured on: until MEASURED_ROWS, a render with more rows measures again. */
  const measuredRows = useRef(0);
  const [rows, setRows] = useState(fallback);

  const measure = useCallback(() => {
    const list = element.current;
    if (!list) return;
    // The tallest of the first rows (a skip list's head is a row too, a little shorter than an entry; the "… more"
    // line): measuring the first alone counted rows of the head's height, and the last row was cut at a phone's
    // memtable. offsetHeight ignores the transforms rows are animated with. Once seen, a row's height is kept until
    // the list is resized (presenter mode, another screen).
    const rows = list.querySelectorAll<HTMLElement>(`:scope > li:nth-child(-n + ${MEASURED_ROWS})`);
    for (const row of rows) rowHeight.current = Math.max(rowHeight.current, row.offsetHeight);
    measuredRows.current = rows.length;
    if (rowHeight.current === 0) return;
    const style = getComputedStyle(list);
    const gap = Number.parseFloat(style.rowGap) || 0;
    const room =
      list.clientHeight - (Number.parseFloat(style.paddingTop) || 0) - (Number.parseFloat(style.paddingBottom) || 0);
    setRows(Math.max(1, Math.floor((room + gap) / (rowHeight.current + gap))));
  }, []);

  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback(
    (list: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      element.current = list;
      if (!list || typeof ResizeObserver === 'undefined') return;
      observer.current = new ResizeObserver(() => {
        rowHeight.current = 0;
        measuredRows.current = 0;
        measure();
      });
      observer.current.observe(list);
    },
    [measure],
  );
  // Until the first rows have been seen (an empty list, a list of one), look again after a render that added one —
  // but only then: measuring reads styles and layout, and the lists re-render several times a second during a
  // workload.
  useLayoutEffect(() => {
    if (measuredRows.current >= MEASURED_ROWS) return;
    if ((element.current?.querySelectorAll(':scope > li').length ?? 0) > measuredRows.current) measure();
  });
  return [ref, rows];
}
