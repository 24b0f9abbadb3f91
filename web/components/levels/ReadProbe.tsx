// A Get inside one SSTable, drawn from what the engine reported of it, one sub-step at a time as the player shows
// them: the bloom filter's bits (the k the key hashes to, each set or not), the sparse index lines and the block it
// chose, then the block's entries with the binary search lit on them, comparison by comparison, and the verdict.
// In a prefix-compressed block the search has two parts, both drawn: the binary search over the restart points (the
// entries whose keys are stored whole, marked R0, R1, ...), then the scan of one run from the chosen restart point.
// Beneath, when the read stopped at a tombstone, the older version the tombstone hides.
import type { BloomProbe, IndexLookup } from '@lsm-lab/engine';
import { useTranslation } from 'react-i18next';
import { showBytes, showCount, showSize } from '../../model/display';
import type { ProbePhase, ReadView } from '../../model/view';
import { useEntrances } from '../../store/hooks';
import type { SstableStep } from './TableCard';

const PHASES: ProbePhase[] = ['bloom', 'index', 'block', 'search', 'done'];

export function ReadProbe({ read }: { read: ReadView }) {
  const { t } = useTranslation('ui');
  const enter = useEntrances();
  const step = [...read.steps]
    .reverse()
    .find((s): s is SstableStep => s.where === 'sstable' && s.found !== 'out-of-range');
  if (!step && !read.hidden) return null;
  const reached = (phase: ProbePhase) => step !== undefined && PHASES.indexOf(step.phase) >= PHASES.indexOf(phase);
  // The sub-step on screen now: the filter's, the index's, or the block's (read, searched, answered).
  const current = !step
    ? undefined
    : step.phase === 'bloom' || step.found === 'bloom-negative'
      ? 'bloom'
      : step.phase === 'index'
        ? 'index'
        : 'block';
  const mark = (part: typeof current) =>
    part === current ? { className: 'current', 'data-current': 'true' } : { 'data-current': 'false' };
  return (
    <section
      className={`read-probe ${enter ? 'staged' : ''}`}
      aria-label={t('picture.probe.label')}
      data-testid="read-probe"
      data-phase={step?.phase}
      data-file={step?.file}
    >
      {step && (
        <>
          <h3>
            {t('picture.probe.title', { key: showBytes(read.key, 16), file: step.file })}{' '}
            <span className="level">L{step.level}</span>
          </h3>
          <ol className="probe-steps" key={`${read.key} ${step.file}`}>
            <li data-testid="probe-bloom" {...mark('bloom')}>
              {step.bloom ? <Bloom bloom={step.bloom} /> : <span>{t('picture.probe.noBloom')}</span>}
            </li>
            {reached('index') && step.index && (
              <li data-testid="probe-index" {...mark('index')}>
                <Index index={step.index} />
              </li>
            )}
            {reached('block') && step.found !== 'bloom-negative' && (
              <li data-testid="probe-search" {...mark('block')}>
                <BlockEntries step={step} />
              </li>
            )}
          </ol>
        </>
      )}
      {read.done && read.hidden && (
        <p className="hidden-version" data-testid="hidden-version">
          {read.source === 'memtable'
            ? t('picture.probe.hidesMemtable')
            : t('picture.probe.hides', { source: read.source })}{' '}
          <strong>
            {showBytes(read.key, 16)} ={' '}
            {read.hidden.value === null ? t('picture.probe.olderTombstone') : showBytes(read.hidden.value, 16)}
          </strong>{' '}
          {t('picture.probe.stillOnDisk', { source: read.hidden.source })}
        </p>
      )}
    </section>
  );
}

/**
 * The block read, its entries drawn as a row of cells (every one, for a block small enough; else the ones compared,
 * in place, with gaps), and the binary search on them: each comparison lit in turn, a tag above the cell saying
 * which comparison it was and how the entry's key compared with the wanted one ("2 <"), the last one ringed while
 * the search goes on, the one that answered marked.
 */
function BlockEntries({ step }: { step: SstableStep }) {
  const { t } = useTranslation('ui');
  const done = step.phase === 'done';
  const probes = new Map(step.compared.map((c, i) => [c.entry, { n: i + 1, ...c }]));
  const last = step.compared[step.compared.length - 1];
  const entries = step.entries ?? 0;
  // A prefix-compressed block: restart point numbers by entry, and the entries its run scan compared so far.
  const restartOf = new Map((step.restartPoints ?? []).map((entry, r) => [entry, r]));
  const scanned = step.restartPoints ? step.compared.filter((c) => c.restart === undefined).map((c) => c.entry) : [];
  const runFrom = step.run?.from ?? scanned[0];
  const runTo = step.run?.to ?? scanned[scanned.length - 1];
  const inRun = (entry: number) => runFrom !== undefined && runTo !== undefined && entry >= runFrom && entry <= runTo;
  const cells: Array<{ entry: number; key: string | undefined } | 'gap'> = [];
  if (step.keys) {
    step.keys.forEach((key, entry) => {
      cells.push({ entry, key });
    });
  } else {
    // A large block: only the entries compared (and its restart points), in their places, with a gap where others
    // lie between.
    const keyOf = new Map([...probes.values()].map((p) => [p.entry, p.key]));
    const shown = [...new Set([...keyOf.keys(), ...restartOf.keys()])].sort((a, b) => a - b);
    let next = 0;
    for (const entry of shown) {
      if (entry > next) cells.push('gap');
      cells.push({ entry, key: keyOf.get(entry) });
      next = entry + 1;
    }
    if (next < entries) cells.push('gap');
  }
  const verdict =
    step.found === 'value'
      ? t('picture.probe.verdict.found')
      : step.found === 'tombstone'
        ? t('picture.probe.verdict.tombstone')
        : t('picture.probe.verdict.notHere');
  return (
    <>
      <span className="probe-what">
        {t('picture.probe.block', { block: step.block })}
        {step.blockSize !== undefined &&
          (step.cached
            ? t('picture.probe.fromCache', { size: showSize(step.blockSize) })
            : t('picture.probe.fromStorage', { size: showSize(step.blockSize) }))}
        , {t('picture.entries', { count: entries, n: showCount(entries) })},{' '}
        {step.restartPoints
          ? runFrom === undefined
            ? t('picture.probe.prefixSearch', { count: step.restartPoints.length })
            : t('picture.probe.prefixSearchFrom', { count: step.restartPoints.length, entry: runFrom })
          : t('picture.probe.binarySearch')}
      </span>
      <div className="block-row">
        <ol className="block-entries" aria-label={t('picture.probe.entriesOf', { block: step.block })}>
          {cells.map((cell, i) => {
            if (cell === 'gap') {
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a gap's place among the cells is its identity
                <li key={`gap ${i}`} className="block-gap" aria-hidden="true">
                  …
                </li>
              );
            }
            const probe = probes.get(cell.entry);
            const compare = probe && (probe.order < 0 ? 'less' : probe.order > 0 ? 'greater' : 'equal');
            const restart = restartOf.get(cell.entry);
            const classes = [
              'block-entry',
              restart === undefined ? '' : 'restart-point',
              inRun(cell.entry) ? 'in-run' : '',
              probe ? `compare compare-${probe.order === 0 ? 'equal' : 'other'}` : '',
              probe && !done && probe.entry === last?.entry ? 'current' : '',
              done && step.at === cell.entry && step.found !== 'absent' ? 'found' : '',
            ];
            return (
              <li
                key={cell.entry}
                className={classes.join(' ').trim()}
                data-testid="block-entry"
                data-entry={cell.entry}
                data-probe={probe?.n}
                data-compare={compare}
                data-restart={restart}
                data-run={inRun(cell.entry) ? 'true' : undefined}
                data-probe-kind={
                  probe && step.restartPoints ? (probe.restart === undefined ? 'run' : 'restart') : undefined
                }
              >
                {restart !== undefined && (
                  <span className="restart-mark" title={t('picture.probe.restartTitle', { restart })}>
                    R{restart}
                  </span>
                )}
                {cell.key === undefined ? `#${cell.entry}` : showBytes(cell.key, 10)}
                {/* How the entry's key compared with the wanted one, on the cell's corner: the cell keeps its width. */}
                {probe && (
                  <span className="entry-order" data-n={probe.n}>
                    <span className="visually-hidden"> </span>
                    {probe.order < 0 ? '<' : probe.order > 0 ? '>' : '='}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        {done ? (
          <strong className={`verdict read-${step.found}`}>{verdict}</strong>
        ) : (
          last && (
            <span className="probe-now" data-testid="probe-now">
              {last.restart !== undefined
                ? last.order < 0
                  ? t('picture.probe.now.restartRight', { restart: last.restart })
                  : t('picture.probe.now.restartLeft', { restart: last.restart })
                : last.order === 0
                  ? t('picture.probe.now.equal')
                  : step.restartPoints
                    ? last.order < 0
                      ? t('picture.probe.now.scanOn')
                      : t('picture.probe.now.notInBlock')
                    : last.order < 0
                      ? t('picture.probe.now.right')
                      : t('picture.probe.now.left')}
            </span>
          )
        )}
      </div>
    </>
  );
}

/** The filter's bits (every one, for a small filter), the probed ones ringed: all set means "maybe here". */
function Bloom({ bloom }: { bloom: BloomProbe }) {
  const { t } = useTranslation('ui');
  const allSet = bloom.set.every(Boolean);
  const probed = new Map(bloom.probes.map((bit, i) => [bit, bloom.set[i]!]));
  const bytes = bloom.filter ? hexBytes(bloom.filter) : undefined;
  return (
    <>
      <span className="probe-what">{t('picture.probe.bloom', { bits: bloom.bits, count: bloom.probes.length })}</span>{' '}
      <strong className={allSet ? 'verdict maybe' : 'verdict no'}>
        {allSet
          ? t('picture.probe.allSet')
          : t('picture.probe.bitZero', { bit: bloom.probes[bloom.set.indexOf(false)] })}
      </strong>
      {bytes ? (
        <span
          className="bits"
          role="img"
          aria-label={t('picture.probe.bitsLabel', { bits: bloom.bits, probes: bloom.probes.join(', ') })}
        >
          {Array.from({ length: bloom.bits }, (_, bit) => {
            const on = ((bytes[bit >>> 3] ?? 0) & (1 << (bit & 7))) !== 0;
            const probe = probed.get(bit);
            return (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: a bit's place is its identity
                key={bit}
                className={`bit ${on ? 'on' : ''} ${probe === undefined ? '' : probe ? 'probed' : 'probed miss'}`}
              />
            );
          })}
        </span>
      ) : (
        <span className="bit-list">
          {bloom.probes.map((bit, i) => (
            <span key={bit} className={bloom.set[i] ? 'bit-set' : 'bit-unset'}>
              {bit}
              {bloom.set[i] ? '✓' : '✗'}
            </span>
          ))}
        </span>
      )}
    </>
  );
}

/** The sparse index lines around the chosen one: the last block whose first key is ≤ the key. */
function Index({ index }: { index: IndexLookup }) {
  const { t } = useTranslation('ui');
  return (
    <>
      <span className="probe-what">{t('picture.probe.index', { count: index.blocks, chosen: index.chosen })}</span>
      <span className="index-lines">
        {index.from > 0 && <span className="index-line more">…</span>}
        {index.keys.map((key, i) => (
          <span key={key} className={`index-line ${index.from + i === index.chosen ? 'chosen' : ''}`}>
            {index.from + i}: {showBytes(key, 10)}
          </span>
        ))}
        {index.from + index.keys.length < index.blocks && <span className="index-line more">…</span>}
      </span>
    </>
  );
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}
