import { useState } from 'react';
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
  'Leveled vs size-tiered compaction': twins({ compaction: 'tiered' }),
  'Compaction on vs off': twins({ compaction: 'off' }),
  'Bloom filters on vs off': twins({ bloomBitsPerKey: 0 }),
  'Flush every write vs group commit': twins({ durability: 'group' }),
  'Compression off vs on': twins({ compression: 'deflate' }, { memtableBytes: 4096 }),
};

const ROWS: Array<{
  label: string;
  value: (r: TwinResult) => string;
  number: (r: TwinResult) => number;
  lowerIsBetter: boolean;
}> = [
  {
    label: 'Operations per second',
    value: (r) => showCount(Math.round((r.operations / r.ms) * 1000)),
    number: (r) => r.operations / r.ms,
    lowerIsBetter: false,
  },
  {
    label: 'Write amplification',
    value: (r) => `${r.stats.writeAmplification.toFixed(1)}×`,
    number: (r) => r.stats.writeAmplification,
    lowerIsBetter: true,
  },
  {
    label: 'SSTables per get',
    value: (r) => r.stats.tablesPerGet.toFixed(2),
    number: (r) => r.stats.tablesPerGet,
    lowerIsBetter: true,
  },
  {
    label: 'Blocks read per get',
    value: (r) => r.stats.blocksPerGet.toFixed(2),
    number: (r) => r.stats.blocksPerGet,
    lowerIsBetter: true,
  },
  {
    label: 'Space amplification',
    value: (r) => `${r.stats.spaceAmplification.toFixed(2)}×`,
    number: (r) => r.stats.spaceAmplification,
    lowerIsBetter: true,
  },
  {
    label: 'Bytes on disk',
    value: (r) => showSize(r.stats.diskBytes),
    number: (r) => r.stats.diskBytes,
    lowerIsBetter: true,
  },
  {
    label: 'SSTables',
    value: (r) => r.stats.levels.map((l) => `L${l.level}: ${l.files}`).join(' · '),
    number: (r) => r.stats.levels.reduce((s, l) => s + l.files, 0),
    lowerIsBetter: true,
  },
  {
    label: 'Flushes / compactions',
    value: (r) => `${r.stats.flushes} / ${r.stats.compactions}`,
    number: () => 0,
    lowerIsBetter: true,
  },
];

const describe = (s: TwinSettings) =>
  `${s.compaction === 'off' ? 'no compaction' : s.compaction}, bloom ${s.bloomBitsPerKey > 0 ? 'on' : 'off'}, ${s.durability === 'group' ? 'group commit' : s.durability === 'relaxed' ? 'relaxed' : 'flush per write'}, ${s.compression === 'deflate' ? 'compressed' : 'raw'} blocks, ${showSize(s.memtableBytes)} memtable`;

/** Two databases side by side, fed the same workload: what one design choice changes. */
export function TwinPanel() {
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
      <h2 id="twin-title">Twin databases</h2>
      <p className="explain">
        The same seeded workload on two databases that differ in one setting. They run one after the other, each in its
        own worker, on their own files.
      </p>
      <div className="twin-controls">
        <label>
          Compare
          <select value={preset} onChange={(e) => setPreset(e.target.value)}>
            {Object.keys(PRESETS).map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Twin operations
          <input
            type="number"
            min={100}
            max={200000}
            value={operations}
            onChange={(e) => setOperations(Number(e.target.value))}
          />
        </label>
        <button type="button" onClick={() => void run()} disabled={progress !== null || operations < 100}>
          Run both
        </button>
        {progress && (
          <span data-testid="twin-progress">
            {progress.side}: {showCount(progress.done)} of {showCount(progress.total)}
          </span>
        )}
      </div>
      {error && <p className="status status-error">{error}</p>}
      <table className="twin-table" data-testid="twin-results">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">A: {describe(a)}</th>
            <th scope="col">B: {describe(b)}</th>
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
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {[0, 1].map((i) => (
                  <td key={i} className={better === i && row.label !== 'Flushes / compactions' ? 'better' : ''}>
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
