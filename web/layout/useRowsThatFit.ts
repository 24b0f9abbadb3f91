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
  /** The first row's own height: a skip list's head, or the WAL's "… earlier records" line, is shorter. */
  const firstHeight = useRef(0);
  /** How many rows the height was measured on: until MEASURED_ROWS, a render with more rows measures again. */
  const measuredRows = useRef(0);
  const [rows, setRows] = useState(fallback);

  const measure = useCallback(() => {
    const list = element.current;
    if (!list) return;
    // The first row at its own height, every other row at the tallest of the next few (a skip list's head is a
    // little shorter than an entry; measured on a list that held only "Empty.", the rows counted did not fit and a
    // phone's memtable cut its last row). offsetHeight ignores the transforms rows are animated with. Measured
    // again while the list grows to MEASURED_ROWS rows, then kept until the list is resized (presenter mode).
    const rows = [...list.querySelectorAll<HTMLElement>(`:scope > li:nth-child(-n + ${MEASURED_ROWS})`)];
    measuredRows.current = rows.length;
    if (rows.length === 0) return;
    firstHeight.current = rows[0]!.offsetHeight;
    rowHeight.current = Math.max(...rows.map((row) => row.offsetHeight));
    if (rowHeight.current === 0) return;
    const style = getComputedStyle(list);
    const gap = Number.parseFloat(style.rowGap) || 0;
    const room =
      list.clientHeight - (Number.parseFloat(style.paddingTop) || 0) - (Number.parseFloat(style.paddingBottom) || 0);
    const after = Math.floor((room - firstHeight.current + gap) / (rowHeight.current + gap));
    setRows(Math.max(1, 1 + Math.max(0, after)));
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
