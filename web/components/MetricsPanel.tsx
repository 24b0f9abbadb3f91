import { showSize } from '../model/display';
import { type StatsPoint, useLab } from '../store/store';
import { LevelDbStats } from './LevelDbStats';

const SERIES: Array<{ key: keyof StatsPoint; label: string; className: string }> = [
  { key: 'writeAmplification', label: 'write amp.', className: 'series-write' },
  { key: 'spaceAmplification', label: 'space amp.', className: 'series-space' },
  { key: 'tablesPerGet', label: 'SSTables per get', className: 'series-read' },
];

/** Amplification, from the engine's real byte counters: what each design choice costs. */
export function MetricsPanel() {
  const stats = useLab((s) => s.stats);
  const history = useLab((s) => s.statsHistory);
  return (
    <section className="panel metrics" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Amplification</h2>
      {!stats ? (
        <p className="empty">Write something: the figures come from the engine's own byte counters.</p>
      ) : (
        <>
          <dl className="figures" data-testid="metrics">
            <div>
              <dt>Write amplification</dt>
              <dd data-testid="write-amp">{stats.writeAmplification.toFixed(1)}×</dd>
              <dd className="explain">
                {showSize(stats.storageBytesWritten)} written for {showSize(stats.userBytes)} of keys and values
              </dd>
            </div>
            <div>
              <dt>Read amplification</dt>
              <dd data-testid="read-amp">{stats.tablesPerGet.toFixed(2)} SSTables per get</dd>
              <dd className="explain">
                {stats.blocksPerGet.toFixed(2)} blocks read per get · {stats.bloomSkips} bloom skips · {stats.gets} gets
              </dd>
            </div>
            <div>
              <dt>Space amplification</dt>
              <dd data-testid="space-amp">{stats.spaceAmplification.toFixed(2)}×</dd>
              <dd className="explain">
                {showSize(stats.diskBytes)} on disk for {showSize(stats.liveBytes)} live ({stats.liveKeys} keys)
              </dd>
            </div>
            <div>
              <dt>SSTable size vs raw data</dt>
              <dd data-testid="table-ratio">
                {stats.tableDataBytes > 0 ? `${((100 * stats.tableBytes) / stats.tableDataBytes).toFixed(0)} %` : '–'}
              </dd>
              <dd className="explain">
                {showSize(stats.tableBytes)} of files for {showSize(stats.tableDataBytes)} of entries: indexes, bloom
                filters and footers add, compression takes away
              </dd>
            </div>
            <div>
              <dt>Background work</dt>
              <dd data-testid="compactions">{stats.compactions} compactions</dd>
              <dd className="explain">
                {stats.flushes} flushes · compaction read {showSize(stats.compactionBytesRead)}, wrote{' '}
                {showSize(stats.compactionBytesWritten)}
              </dd>
            </div>
          </dl>
          <Chart history={history} />
          <LevelDbStats />
        </>
      )}
    </section>
  );
}

function Chart({ history }: { history: StatsPoint[] }) {
  if (history.length < 2) return null;
  const width = 420;
  const height = 120;
  const max = Math.max(1, ...history.flatMap((p) => SERIES.map((s) => p[s.key])));
  const x = (i: number) => (i / (history.length - 1)) * width;
  const y = (v: number) => height - (v / max) * (height - 8) - 4;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Amplification over time">
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={width} y1={y(max * f)} y2={y(max * f)} className="grid" />
        ))}
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            className={s.className}
            fill="none"
            points={history.map((p, i) => `${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {SERIES.map((s) => (
          <span key={s.key} className={`legend ${s.className}`}>
            {s.label}
          </span>
        ))}{' '}
        · scale 0 to {max.toFixed(1)} · over the last {history.length} samples
      </figcaption>
    </figure>
  );
}
