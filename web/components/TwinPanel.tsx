import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showCount, showSize } from '../model/display';
import { runTwins, type TwinProgress, type TwinResult, type TwinSettings } from '../store/twin';

/** The baseline both twins start from; each comparison changes exactly one setting on B (or on both). */
const BASE: TwinSettings = {
  compaction: 'leveled',
  bloomBitsPerKey: 10,
  durability: 'durable',
  memtableBytes: 1024,
  compression: 'none',
};
const twins = (b: Partial<TwinSettings>, both: Partial<TwinSettings> = {}): [TwinSettings, TwinSettings] => [
  { ...BASE, ...both },
  { ...BASE, ...both, ...b },
];

const PRESETS: Record<string, [TwinSettings, TwinSettings]> = {
  tiered: twins({ compaction: 'tiered' }),
  compaction: twins({ compaction: 'off' }),
  bloom: twins({ bloomBitsPerKey: 0 }),
  group: twins({ durability: 'group' }),
  compression: twins({ compression: 'deflate' }, { memtableBytes: 4096 }),
};

/** A preset's name, in the language chosen now (one static key each, for the key check). */
function presetName(id: string, t: TFunction<'ui'>): string {
  switch (id) {
    case 'tiered':
      return t('twins.preset.tiered');
    case 'compaction':
      return t('twins.preset.compaction');
    case 'bloom':
      return t('twins.preset.bloom');
    case 'group':
      return t('twins.preset.group');
    default:
      return t('twins.preset.compression');
  }
}

const ROWS: Array<{
  id: string;
  label: (t: TFunction<'ui'>) => string;
  value: (r: TwinResult) => string;
  number: (r: TwinResult) => number;
  lowerIsBetter: boolean;
}> = [
  {
    id: 'ops',
    label: (t) => t('twins.row.ops'),
    value: (r) => showCount(Math.round((r.operations / r.ms) * 1000)),
    number: (r) => r.operations / r.ms,
    lowerIsBetter: false,
  },
  {
    id: 'write',
    label: (t) => t('twins.row.write'),
    value: (r) => `${r.stats.writeAmplification.toFixed(1)}×`,
    number: (r) => r.stats.writeAmplification,
    lowerIsBetter: true,
  },
  {
    id: 'tables',
    label: (t) => t('twins.row.tablesPerGet'),
    value: (r) => r.stats.tablesPerGet.toFixed(2),
    number: (r) => r.stats.tablesPerGet,
    lowerIsBetter: true,
  },
  {
    id: 'blocks',
    label: (t) => t('twins.row.blocks'),
    value: (r) => r.stats.blocksPerGet.toFixed(2),
    number: (r) => r.stats.blocksPerGet,
    lowerIsBetter: true,
  },
  {
    id: 'space',
    label: (t) => t('twins.row.space'),
    value: (r) => `${r.stats.spaceAmplification.toFixed(2)}×`,
    number: (r) => r.stats.spaceAmplification,
    lowerIsBetter: true,
  },
  {
    id: 'disk',
    label: (t) => t('twins.row.disk'),
    value: (r) => showSize(r.stats.diskBytes),
    number: (r) => r.stats.diskBytes,
    lowerIsBetter: true,
  },
  {
    id: 'levels',
    label: (t) => t('twins.row.tables'),
    value: (r) => r.stats.levels.map((l) => `L${l.level}: ${l.files}`).join(' · '),
    number: (r) => r.stats.levels.reduce((s, l) => s + l.files, 0),
    lowerIsBetter: true,
  },
  {
    id: 'background',
    label: (t) => t('twins.row.background'),
    value: (r) => `${r.stats.flushes} / ${r.stats.compactions}`,
    number: () => 0,
    lowerIsBetter: true,
  },
];

const describe = (s: TwinSettings, t: TFunction<'ui'>) =>
  t('twins.describe', {
    compaction:
      s.compaction === 'off'
        ? t('twins.settings.noCompaction')
        : s.compaction === 'tiered'
          ? t('twins.settings.tiered')
          : t('twins.settings.leveled'),
    bloom: s.bloomBitsPerKey > 0 ? t('twins.settings.bloomOn') : t('twins.settings.bloomOff'),
    durability:
      s.durability === 'group'
        ? t('twins.settings.group')
        : s.durability === 'relaxed'
          ? t('twins.settings.relaxed')
          : t('twins.settings.durable'),
    blocks: s.compression === 'deflate' ? t('twins.settings.compressed') : t('twins.settings.raw'),
    memtable: showSize(s.memtableBytes),
  });

/** Two databases side by side, fed the same workload: what one design choice changes. */
export function TwinPanel() {
  const { t } = useTranslation('ui');
  const [preset, setPreset] = useState(Object.keys(PRESETS)[0]!);
  const [operations, setOperations] = useState(2000);
  const [progress, setProgress] = useState<TwinProgress | null>(null);
  const [results, setResults] = useState<[TwinResult, TwinResult] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [a, b] = PRESETS[preset]!;

  const run = async () => {
    setResults(null);
    setError(null);
    try {
      setResults(await runTwins(a, b, { operations, seed: 7 }, setProgress));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  };

  return (
    <section className="panel twin" aria-labelledby="twin-title">
      <h2 id="twin-title">{t('twins.title')}</h2>
      <p className="explain">{t('twins.explain')}</p>
      <div className="twin-controls">
        <label>
          {t('twins.compare')}
          <select value={preset} onChange={(e) => setPreset(e.target.value)}>
            {Object.keys(PRESETS).map((p) => (
              <option key={p} value={p}>
                {presetName(p, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('twins.operations')}
          <input
            type="number"
            min={100}
            max={200000}
            value={operations}
            onChange={(e) => setOperations(Number(e.target.value))}
          />
        </label>
        <button type="button" onClick={() => void run()} disabled={progress !== null || operations < 100}>
          {t('twins.run')}
        </button>
        {progress && (
          <span data-testid="twin-progress">
            {t('twins.progress', {
              side: progress.side,
              done: showCount(progress.done),
              total: showCount(progress.total),
            })}
          </span>
        )}
      </div>
      {error && <p className="status status-error">{error}</p>}
      <table className="twin-table" data-testid="twin-results">
        <thead>
          <tr>
            <th scope="col">{t('twins.figure')}</th>
            <th scope="col">A: {describe(a, t)}</th>
            <th scope="col">B: {describe(b, t)}</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => {
            // Better only where the figures differ as shown: 0.10 against 0.10 is a tie, whatever the digits after.
            const better =
              results && row.value(results[0]!) !== row.value(results[1]!)
                ? row.number(results[0]) < row.number(results[1]) === row.lowerIsBetter
                  ? 0
                  : 1
                : -1;
            return (
              <tr key={row.id}>
                <th scope="row">{row.label(t)}</th>
                {[0, 1].map((i) => (
                  <td key={i} className={better === i && row.id !== 'background' ? 'better' : ''}>
                    {results ? row.value(results[i]!) : '–'}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
