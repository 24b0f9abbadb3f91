// The hex inspector: any file of the database as it is on storage, read through the worker, 16 bytes a row, every
// field coloured by kind and labelled in words (web/model/fields/). It reads the file again whenever the picture
// says the file changed size, so a WAL visibly grows record by record; and it highlights the bytes of the key
// last pressed in the memtable or the WAL. Beside it: the grid of bytes (hex/HexGrid.tsx) and the hook that reads
// the file (hex/useFileBytes.ts).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { t } from '../i18n';
import { showBytes, showSize } from '../model/display';
import { describeFile, FIELD_KINDS, type Field, type FieldKind, fieldKindText, fileKindOf } from '../model/fields';
import type { TableView, WalView } from '../model/view';
import { setHighlightKey } from '../store/actions';
import { useCalm } from '../store/hooks';
import { type LabState, useLab } from '../store/store';
import { HexGrid, PAGE, ROW } from './hex/HexGrid';
import { useFileBytes } from './hex/useFileBytes';

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
  const { t, i18n } = useTranslation('ui');
  // The fields' labels are worded when the file is described: a new language describes it again.
  const language = i18n.resolvedLanguage;
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
  // biome-ignore lint/correctness/useExhaustiveDependencies: `language` is a reason to describe the file again
  const pageFields = useMemo(
    () => (bytes ? describeFile(file, bytes, { from: start, to: end }) : []),
    [file, bytes, start, end, language],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `language` is a reason to describe the file again
  const matches = useMemo(
    () => (bytes && highlightKey ? describeFile(file, bytes, { key: highlightKey }) : []),
    [file, bytes, highlightKey, language],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `language` is a reason to describe the file again
  const problems = useMemo(() => (bytes ? describeFile(file, bytes, { problems: true }) : []), [file, bytes, language]);

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
  /** A byte the grid's keys asked for: clamped to the file, on its page, focused once the page is drawn. */
  const moveTo = (target: number) => {
    const next = Math.max(0, Math.min(size - 1, target));
    if (next < start || next >= end) setPageStart(next - (next % PAGE));
    setCursor(next);
    setActive(next);
    focusCursor.current = true;
  };

  return (
    <section className="panel disk hex-inspector" aria-labelledby="hex-title">
      <h2 id="hex-title">
        {t('hex.title')} <span className="tag">{t('hex.disk')}</span>
      </h2>
      <p className="explain">{t('hex.explain')}</p>
      <div className="hex-toolbar">
        <label className="hex-label">
          {t('hex.inspectFile')}
          <select className="file-select" value={file} onChange={(e) => choose(e.target.value)}>
            <option value="">{t('hex.chooseOption')}</option>
            {wals.length > 0 && (
              <optgroup label={t('hex.groups.wal')}>
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
              <optgroup label={t('hex.groups.sstables')}>
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
              <optgroup label={t('hex.groups.manifest')}>
                <option value={manifest.file}>
                  {manifest.file} · {showSize(manifest.size)}
                </option>
              </optgroup>
            )}
            {file && !chosen && <option value={file}>{t('hex.noLongerLive', { file })}</option>}
          </select>
        </label>
        <button type="button" className="quiet" disabled={!file} onClick={() => setRereads((n) => n + 1)}>
          {t('hex.readAgain')}
        </button>
        <div className="hex-paging">
          <button type="button" className="quiet" disabled={start === 0} onClick={() => goTo(start - PAGE)}>
            {t('hex.previousPage')}
          </button>
          <label className="hex-label">
            {t('hex.startAt')}
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
            {t('hex.nextPage')}
          </button>
        </div>
      </div>
      {highlightKey && (
        <p className="hex-key">
          {t('hex.highlighted')} <code>{showBytes(highlightKey, 40)}</code>:{' '}
          {!file
            ? t('hex.chooseToFind')
            : matches.length === 0
              ? t('hex.notInFile')
              : t('hex.places', { count: matches.length, from: matches[0]!.start })}{' '}
          <button type="button" className="quiet" onClick={() => setHighlightKey(null)}>
            {t('hex.clearHighlight')}
          </button>
        </p>
      )}
      {!file ? (
        <p className="empty">{t('hex.empty')}</p>
      ) : (
        <>
          <p className="hex-about" data-testid="hex-about">
            {fileNote(file, chosen, bytes, error)}
            {bytes && problems.length > 0 && (
              <span className="hex-problems">
                {' '}
                {t('hex.problems', { count: problems.length, at: problems[0]!.start })}{' '}
                <button
                  type="button"
                  className="quiet"
                  onClick={() => {
                    goTo(problems[0]!.start);
                    setActive(problems[0]!.start);
                  }}
                >
                  {t('hex.showIt')}
                </button>
              </span>
            )}
          </p>
          {size > 0 && (
            <>
              <ul className="hex-legend" aria-label={t('hex.colours')}>
                {kinds.map((kind) => (
                  <li key={kind} className={`hex-chip kind-${kind}`}>
                    {fieldKindText(kind)}
                  </li>
                ))}
              </ul>
              <p className="hex-caption" id="hex-caption" aria-live="polite" data-testid="hex-caption">
                {activeField ? describeField(activeField) : t('hex.pointAt')}
              </p>
              <div className="hex-body">
                <HexGrid
                  file={file}
                  bytes={bytes!}
                  start={start}
                  end={end}
                  fieldOf={fieldOf}
                  highlightKey={highlightKey}
                  activeField={activeField}
                  cursor={cursor}
                  gridRef={grid}
                  onPoint={setActive}
                  onFocusByte={(at) => {
                    setActive(at);
                    setCursor(at);
                  }}
                  onMove={moveTo}
                />
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (WCAG 2.1.1) */}
                <section className="hex-fields" tabIndex={0} aria-label={t('hex.fieldsOnPage')}>
                  <ol
                    className="hex-list"
                    aria-label={t('hex.fieldsOfBytes', { start, end: end - 1 })}
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

function fileChoices(wals: WalView[], tables: TableView[], manifest: { file: string; size: number }): FileChoice[] {
  const choices: FileChoice[] = wals.map((w) => ({ file: w.file, size: w.size, what: 'wal' }));
  for (const t of tables) {
    if (t.committed) choices.push({ file: t.file, size: t.size, what: 'sstable', level: t.level });
  }
  if (manifest.file) choices.push({ file: manifest.file, size: manifest.size, what: 'manifest' });
  return choices;
}

function describeField(field: Field): string {
  const bytes = field.end - field.start;
  const range =
    bytes === 1
      ? t('ui:hex.byteAt', { at: field.start })
      : t('ui:hex.bytesRange', { start: field.start, end: field.end - 1, count: bytes });
  return `${range} · ${field.group} · ${field.label}`;
}

function fileNote(file: string, chosen: FileChoice | undefined, bytes: Uint8Array | null, error: string | null) {
  // The error is the storage's own message (English).
  if (error && !bytes) return t('ui:hex.note.couldNotRead', { file, error });
  if (!bytes) return t('ui:hex.note.reading', { file });
  const gone = chosen ? '' : t('ui:hex.note.gone');
  const failed = error ? t('ui:hex.note.failed', { error }) : '';
  const what = fileKindOf(file) ?? 'wal';
  const kind =
    what === 'sstable'
      ? t('ui:hex.note.sstable')
      : what === 'manifest'
        ? t('ui:hex.note.manifest')
        : t('ui:hex.note.wal');
  return t('ui:hex.note.size', { file, kind, count: bytes.length, gone, failed });
}
