// HexGrid: one page of a file, 16 bytes a row, hex on the left and text on the right, every byte coloured by its
// field's kind. Rows are memoised, so pointing at a byte redraws only the rows its field touches.
import { type KeyboardEvent, memo, type RefObject, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../model/fields';

/** Bytes per row. */
export const ROW = 16;
/** Bytes shown at a time: 256 rows keep the page quick to draw whatever the file's size. */
export const PAGE = 4096;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface HexGridProps {
  file: string;
  bytes: Uint8Array;
  /** The page: bytes [start, end). */
  start: number;
  end: number;
  /** For each byte of the page, its field. */
  fieldOf: Array<Field | undefined>;
  highlightKey: string | null;
  activeField: Field | undefined;
  /** The byte that takes the keyboard focus when the grid is tabbed into (a roving tab stop). */
  cursor: number;
  gridRef: RefObject<HTMLTableElement | null>;
  /** A byte pointed at with the mouse. */
  onPoint: (offset: number) => void;
  /** A byte that took the keyboard focus. */
  onFocusByte: (offset: number) => void;
  /** An arrow, Home, End or a page key asked for this byte (not yet clamped to the file). */
  onMove: (offset: number) => void;
}

export function HexGrid({
  file,
  bytes,
  start,
  end,
  fieldOf,
  highlightKey,
  activeField,
  cursor,
  gridRef,
  onPoint,
  onFocusByte,
  onMove,
}: HexGridProps) {
  const { t } = useTranslation('ui');
  const onKeyDown = (event: KeyboardEvent) => {
    const at = offsetOf(event);
    if (at === undefined) return;
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + ROW,
      ArrowUp: at - ROW,
      Home: at - (at % ROW),
      End: at - (at % ROW) + ROW - 1,
      PageDown: at + PAGE,
      PageUp: at - PAGE,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    // The arrows also step the animation (keyboard.ts): inside the grid they move between bytes instead.
    event.preventDefault();
    event.stopPropagation();
    onMove(target);
  };

  const rows: number[] = [];
  for (let at = start; at < end; at += ROW) rows.push(at);

  return (
    <div className="hex-scroll">
      <table
        className="hex-grid"
        ref={gridRef}
        aria-label={t('hex.gridLabel', { start, end: end - 1, file })}
        aria-describedby="hex-caption"
      >
        <thead>
          <tr>
            <th scope="col" className="hex-head">
              Offset
            </th>
            <th scope="col" className="hex-head" colSpan={ROW}>
              Bytes (hex)
            </th>
            <th scope="col" className="hex-head">
              Text
            </th>
          </tr>
        </thead>
        <tbody
          onMouseOver={(e) => {
            const at = offsetOf(e);
            if (at !== undefined) onPoint(at);
          }}
          onFocus={(e) => {
            const at = offsetOf(e);
            if (at !== undefined) onFocusByte(at);
          }}
          onKeyDown={onKeyDown}
        >
          {rows.map((row) => (
            <HexRow
              key={row}
              offset={row}
              bytes={bytes}
              fieldOf={fieldOf}
              pageStart={start}
              highlightKey={rowHasKey(fieldOf, row - start, highlightKey)}
              activeField={
                activeField && activeField.start < row + ROW && activeField.end > row ? activeField : undefined
              }
              cursor={cursor >= row && cursor < row + ROW ? cursor : -1}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The byte an event happened on: each byte's cell carries its offset (events are handled once, on the body). */
function offsetOf(event: SyntheticEvent): number | undefined {
  const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-offset]');
  return cell ? Number(cell.dataset.offset) : undefined;
}

interface RowProps {
  offset: number;
  bytes: Uint8Array;
  fieldOf: Array<Field | undefined>;
  pageStart: number;
  /** The highlighted key, when a field of this row holds it (so that other rows need not redraw). */
  highlightKey: string | null;
  activeField: Field | undefined;
  /** The roving tab stop, when it is in this row; else -1. */
  cursor: number;
}

const HexRow = memo(function HexRow({
  offset,
  bytes,
  fieldOf,
  pageStart,
  highlightKey,
  activeField,
  cursor,
}: RowProps) {
  const cells = [];
  const text = [];
  for (let at = offset; at < offset + ROW; at++) {
    if (at >= bytes.length) {
      cells.push(<td key={at} className="hex-pad" />);
      continue;
    }
    const field = fieldOf[at - pageStart];
    const byte = bytes[at]!;
    const classes = [`kind-${field?.kind ?? 'unparsed'}`];
    if (field?.start === at) classes.push('field-start');
    if (field?.problem) classes.push('problem');
    if (highlightKey !== null && field?.keyHex === highlightKey) classes.push('highlight');
    if (activeField && field === activeField) classes.push('active');
    cells.push(
      <td
        key={at}
        className={`hex-byte ${classes.join(' ')}`}
        data-offset={at}
        tabIndex={at === cursor ? 0 : -1}
        title={field ? `${field.group} · ${field.label}` : undefined}
      >
        {HEX[byte]}
      </td>,
    );
    text.push(
      <span key={at} className={`hex-char ${classes.join(' ')}`}>
        {byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·'}
      </span>,
    );
  }
  return (
    <tr>
      <th scope="row" className="hex-offset">
        {offset}
      </th>
      {cells}
      <td className="hex-ascii">{text}</td>
    </tr>
  );
});

function rowHasKey(fieldOf: Array<Field | undefined>, from: number, key: string | null): string | null {
  if (key === null) return null;
  for (let i = from; i < from + ROW && i < fieldOf.length; i++) if (fieldOf[i]?.keyHex === key) return key;
  return null;
}
