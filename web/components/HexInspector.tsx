// The hex inspector: any file of the database as it is on storage, read through the worker, 16 bytes a row, every
// field coloured by kind and labelled in words (web/model/fields.ts). It reads the file again whenever the picture
// says the file changed size, so a WAL visibly grows record by record; and it highlights the bytes of the key
// last pressed in the memtable or the WAL.
import { type KeyboardEvent, memo, type SyntheticEvent, useEffect, useMemo, useRef, useState } from 'react';
import { showBytes, showSize } from '../model/display';
import { describeFile, FIELD_KINDS, type Field, type FieldKind, fileKindOf } from '../model/fields';
import type { TableView, WalView } from '../model/view';
import { readDatabaseFile, setHighlightKey } from '../store/actions';
import { type LabState, useCalm, useLab } from '../store/store';

const ROW = 16;
/** Bytes shown at a time: 256 rows keep the page quick to draw whatever the file's size. */
const PAGE = 4096;
/**
 * A growing file is read again at most this often (a workload changes sizes many times a second), and large files
 * less often still: one millisecond per 4 KiB, so that parsing a 4 MiB WAL takes a tenth of the main thread at most.
 */
const REREAD_MS = 250;
const REREAD_MS_PER_BYTE = 1 / 4096;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface FileChoice {
  file: string;
  size: number;
  what: 'wal' | 'sstable' | 'manifest';
  level?: number;
}

const selectWals = (s: LabState) => s.view.wals;
const selectTables = (s: LabState) => s.view.tables;
const selectManifest = (s: LabState) => s.view.manifest;

export function HexInspector() {
  // During a workload the files change many times a second: the list (and the file shown) follows once a second.
  const wals = useCalm(selectWals);
  const tables = useCalm(selectTables);
  const manifest = useCalm(selectManifest);
  const status = useLab((s) => s.connection.status);
  const highlightKey = useLab((s) => s.highlightKey);
  const [file, setFile] = useState('');
  const [rereads, setRereads] = useState(0);
  /** What is typed in "Start at byte", kept as typed while it has the focus (so that "1", "10", "100" can be typed). */
  const [startDraft, setStartDraft] = useState<string | null>(null);
  const [pageStart, setPageStart] = useState(0);
  /** The byte pointed at or focused: its field is outlined and named in the caption. */
  const [active, setActive] = useState<number | null>(null);
  /** The byte that takes the keyboard focus when the grid is tabbed into (a roving tab stop). */
  const [cursor, setCursor] = useState(0);
  const focusCursor = useRef(false);
  const scrollToHighlight = useRef(false);
  const jumped = useRef('');
  const grid = useRef<HTMLTableElement>(null);

  const choices = useMemo(() => fileChoices(wals, tables, manifest), [wals, tables, manifest]);
  const chosen = choices.find((c) => c.file === file);
  const { bytes, error } = useFileBytes(file, `${chosen?.size ?? 'gone'} ${status} ${rereads}`);
  const size = bytes?.length ?? 0;
  const start = Math.min(pageStart, Math.max(0, size - 1 - ((size - 1) % ROW)));
  const end = Math.min(size, start + PAGE);
  // Three selections of the file's fields: this page's, the highlighted key's, and whatever looks wrong.
  const pageFields = useMemo(
    () => (bytes ? describeFile(file, bytes, { from: start, to: end }) : []),
    [file, bytes, start, end],
  );
  const matches = useMemo(
    () => (bytes && highlightKey ? describeFile(file, bytes, { key: highlightKey }) : []),
    [file, bytes, highlightKey],
  );
  const problems = useMemo(() => (bytes ? describeFile(file, bytes, { problems: true }) : []), [file, bytes]);

  // A key pressed elsewhere: show the newest WAL if nothing is chosen, then jump to the key's first bytes, once.
  useEffect(() => {
    if (!highlightKey) {
      jumped.current = '';
      return;
    }
    if (!file && wals.length > 0) {
      setFile(wals[wals.length - 1]!.file);
      return;
    }
    const first = matches[0];
    const token = `${file} ${highlightKey}`;
    if (!first || jumped.current === token) return;
    jumped.current = token;
    if (first.start < start || first.start >= end) setPageStart(first.start - (first.start % PAGE));
    setCursor(first.start);
    setActive(first.start);
    scrollToHighlight.current = true;
  }, [highlightKey, matches, file, wals, start, end]);

  // After a render: move the focus with the arrow keys, or bring a newly highlighted key into view.
  useEffect(() => {
    if (focusCursor.current) {
      focusCursor.current = false;
      grid.current?.querySelector<HTMLElement>(`[data-offset="${cursor}"]`)?.focus();
    }
    if (scrollToHighlight.current) {
      scrollToHighlight.current = false;
      grid.current?.querySelector('.hex-byte.highlight')?.scrollIntoView({ block: 'nearest' });
    }
  });

  /** For each byte of the page, its field. */
  const fieldOf = useMemo(() => {
    const index: Array<Field | undefined> = new Array(end - start);
    for (const field of pageFields) {
      for (let at = Math.max(field.start, start); at < Math.min(field.end, end); at++) index[at - start] = field;
    }
    return index;
  }, [pageFields, start, end]);
  const activeField = active === null || active < start || active >= end ? undefined : fieldOf[active - start];
  const kinds = useMemo(() => {
    const present = new Set(pageFields.map((f) => f.kind));
    return (Object.keys(FIELD_KINDS) as FieldKind[]).filter((kind) => present.has(kind));
  }, [pageFields]);

  const choose = (name: string) => {
    setFile(name);
    setPageStart(0);
    setCursor(0);
    setActive(null);
    jumped.current = '';
  };
  const goTo = (offset: number) => {
    const clamped = Math.max(0, Math.min(offset, size - 1));
    setPageStart(clamped - (clamped % ROW));
    setCursor(clamped);
  };
  const offsetOf = (event: SyntheticEvent) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-offset]');
    return cell ? Number(cell.dataset.offset) : undefined;
  };
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
    const next = Math.max(0, Math.min(size - 1, target));
    if (next < start || next >= end) setPageStart(next - (next % PAGE));
    setCursor(next);
    setActive(next);
    focusCursor.current = true;
  };

  const rows: number[] = [];
  for (let at = start; at < end; at += ROW) rows.push(at);

  return (
    <section className="panel disk hex-inspector" aria-labelledby="hex-title">
      <h2 id="hex-title">
        Files and bytes <span className="tag">disk</span>
      </h2>
      <p className="explain">
        Any file of the database, read from storage byte by byte: each field coloured and named. Press a key in the
        memtable or the WAL to highlight its bytes.
      </p>
      <div className="hex-toolbar">
        <label className="hex-label">
          Inspect file
          <select className="file-select" value={file} onChange={(e) => choose(e.target.value)}>
            <option value="">Choose a file…</option>
            {wals.length > 0 && (
              <optgroup label="Write-ahead logs">
                {choices
                  .filter((c) => c.what === 'wal')
                  .map((c) => (
                    <option key={c.file} value={c.file}>
                      {c.file} · WAL · {showSize(c.size)}
                    </option>
                  ))}
              </optgroup>
            )}
            {choices.some((c) => c.what === 'sstable') && (
              <optgroup label="SSTables">
                {choices
                  .filter((c) => c.what === 'sstable')
                  .map((c) => (
                    <option key={c.file} value={c.file}>
                      {c.file} · L{c.level} · {showSize(c.size)}
                    </option>
                  ))}
              </optgroup>
            )}
            {manifest.file && (
              <optgroup label="Manifest">
                <option value={manifest.file}>
                  {manifest.file} · {showSize(manifest.size)}
                </option>
              </optgroup>
            )}
            {file && !chosen && <option value={file}>{file} · no longer live</option>}
          </select>
        </label>
        <button type="button" className="quiet" disabled={!file} onClick={() => setRereads((n) => n + 1)}>
          Read again
        </button>
        <div className="hex-paging">
          <button type="button" className="quiet" disabled={start === 0} onClick={() => goTo(start - PAGE)}>
            Previous page
          </button>
          <label className="hex-label">
            Start at byte
            <input
              className="hex-start"
              type="number"
              min={0}
              step={ROW}
              value={startDraft ?? start}
              disabled={size === 0}
              onChange={(e) => {
                setStartDraft(e.target.value);
                goTo(Number(e.target.value) || 0);
              }}
              onBlur={() => setStartDraft(null)}
            />
          </label>
          <button type="button" className="quiet" disabled={end >= size} onClick={() => goTo(start + PAGE)}>
            Next page
          </button>
        </div>
      </div>
      {highlightKey && (
        <p className="hex-key">
          Highlighted key <code>{showBytes(highlightKey, 40)}</code>:{' '}
          {!file
            ? 'choose a file to find it in.'
            : matches.length === 0
              ? 'not in this file.'
              : `${matches.length} ${matches.length === 1 ? 'place' : 'places'} in this file, from byte ${matches[0]!.start}.`}{' '}
          <button type="button" className="quiet" onClick={() => setHighlightKey(null)}>
            Clear highlight
          </button>
        </p>
      )}
      {!file ? (
        <p className="empty">Choose a file to see its bytes.</p>
      ) : (
        <>
          <p className="hex-about" data-testid="hex-about">
            {fileNote(file, chosen, bytes, error)}
            {bytes && problems.length > 0 && (
              <span className="hex-problems">
                {' '}
                {problems.length} {problems.length === 1 ? 'range looks' : 'ranges look'} wrong: the first at byte{' '}
                {problems[0]!.start}.{' '}
                <button
                  type="button"
                  className="quiet"
                  onClick={() => {
                    goTo(problems[0]!.start);
                    setActive(problems[0]!.start);
                  }}
                >
                  Show it
                </button>
              </span>
            )}
          </p>
          {size > 0 && (
            <>
              <ul className="hex-legend" aria-label="Colours">
                {kinds.map((kind) => (
                  <li key={kind} className={`hex-chip kind-${kind}`}>
                    {FIELD_KINDS[kind]}
                  </li>
                ))}
              </ul>
              <p className="hex-caption" id="hex-caption" aria-live="polite" data-testid="hex-caption">
                {activeField ? describeField(activeField) : 'Point at a byte, or tab into the grid and use the arrows.'}
              </p>
              <div className="hex-body">
                <div className="hex-scroll">
                  <table
                    className="hex-grid"
                    ref={grid}
                    aria-label={`Bytes ${start} to ${end - 1} of ${file}`}
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
                        if (at !== undefined) setActive(at);
                      }}
                      onFocus={(e) => {
                        const at = offsetOf(e);
                        if (at === undefined) return;
                        setActive(at);
                        setCursor(at);
                      }}
                      onKeyDown={onKeyDown}
                    >
                      {rows.map((row) => (
                        <HexRow
                          key={row}
                          offset={row}
                          bytes={bytes!}
                          fieldOf={fieldOf}
                          pageStart={start}
                          highlightKey={rowHasKey(fieldOf, row - start, highlightKey)}
                          activeField={
                            activeField && activeField.start < row + ROW && activeField.end > row
                              ? activeField
                              : undefined
                          }
                          cursor={cursor >= row && cursor < row + ROW ? cursor : -1}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (WCAG 2.1.1) */}
                <section className="hex-fields" tabIndex={0} aria-label="Fields on this page">
                  <ol
                    className="hex-list"
                    aria-label={`Fields of bytes ${start} to ${end - 1}`}
                    data-testid="hex-fields"
                  >
                    {pageFields.map((field) => (
                      <li
                        key={field.start}
                        className={`hex-line${field === activeField ? ' active' : ''}${field.problem ? ' problem' : ''}`}
                      >
                        <span className={`hex-range kind-${field.kind}`}>
                          {field.start}
                          {field.end - field.start > 1 ? `–${field.end - 1}` : ''}
                        </span>{' '}
                        <span className="hex-group">{field.group}</span> {field.label}
                      </li>
                    ))}
                  </ol>
                </section>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
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

/** Reads the file whenever `version` changes, at most every REREAD_MS; a late answer never overwrites a newer one. */
function useFileBytes(file: string, version: string): { bytes: Uint8Array | null; error: string | null } {
  const [result, setResult] = useState<{ file: string; bytes: Uint8Array | null; error: string | null }>({
    file: '',
    bytes: null,
    error: null,
  });
  const lastRead = useRef(-Infinity);
  const lastSize = useRef(0);
  const lastFile = useRef('');
  const asked = useRef(0);
  const answered = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reason to read again (the file grew, Read again was pressed)
  useEffect(() => {
    if (!file) return;
    const pause = Math.max(REREAD_MS, lastSize.current * REREAD_MS_PER_BYTE);
    const timer = setTimeout(
      () => {
        lastRead.current = performance.now();
        lastFile.current = file;
        const ticket = ++asked.current;
        const answer = (bytes: Uint8Array | null, error: string | null) => {
          if (ticket < answered.current) return;
          answered.current = ticket;
          if (bytes) lastSize.current = bytes.length;
          setResult((last) => ({ file, bytes: bytes ?? (last.file === file ? last.bytes : null), error }));
        };
        readDatabaseFile(file).then(
          (bytes) => answer(bytes, null),
          (error: unknown) => answer(null, error instanceof Error ? error.message : String(error)),
        );
      },
      // A file just chosen is read at once.
      file === lastFile.current ? Math.max(0, lastRead.current + pause - performance.now()) : 0,
    );
    return () => clearTimeout(timer);
  }, [file, version]);
  return result.file === file ? result : { bytes: null, error: null };
}

function fileChoices(wals: WalView[], tables: TableView[], manifest: { file: string; size: number }): FileChoice[] {
  const choices: FileChoice[] = wals.map((w) => ({ file: w.file, size: w.size, what: 'wal' }));
  for (const t of tables) {
    if (t.committed) choices.push({ file: t.file, size: t.size, what: 'sstable', level: t.level });
  }
  if (manifest.file) choices.push({ file: manifest.file, size: manifest.size, what: 'manifest' });
  return choices;
}

function rowHasKey(fieldOf: Array<Field | undefined>, from: number, key: string | null): string | null {
  if (key === null) return null;
  for (let i = from; i < from + ROW && i < fieldOf.length; i++) if (fieldOf[i]?.keyHex === key) return key;
  return null;
}

function describeField(field: Field): string {
  const bytes = field.end - field.start;
  const range = bytes === 1 ? `byte ${field.start}` : `bytes ${field.start}–${field.end - 1} (${bytes} bytes)`;
  return `${range} · ${field.group} · ${field.label}`;
}

function fileNote(file: string, chosen: FileChoice | undefined, bytes: Uint8Array | null, error: string | null) {
  if (error && !bytes) return `Could not read ${file}: ${error}`;
  if (!bytes) return `Reading ${file}…`;
  const gone = chosen
    ? ''
    : ' It is no longer live (deleted after a flush or a compaction): these are the bytes last read.';
  const failed = error ? ` The last read failed (${error}); these are the bytes read before.` : '';
  const kind = { wal: 'a write-ahead log', sstable: 'an SSTable', manifest: 'the manifest' }[fileKindOf(file) ?? 'wal'];
  return `${file}, ${kind}: ${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'} on storage.${gone}${failed}`;
}
