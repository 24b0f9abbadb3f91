import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { showSize } from '../model/display';
import { type StatsPoint, useLab } from '../store/store';
import { LevelDbStats } from './LevelDbStats';

const SERIES: Array<{ key: keyof StatsPoint; label: (t: TFunction<'ui'>) => string; className: string }> = [
  { key: 'writeAmplification', label: (t) => t('metrics.series.write'), className: 'series-write' },
  { key: 'spaceAmplification', label: (t) => t('metrics.series.space'), className: 'series-space' },
  { key: 'tablesPerGet', label: (t) => t('metrics.series.read'), className: 'series-read' },
];

/** Amplification, from the engine's real byte counters: what each design choice costs. */
export function MetricsPanel() {
  const { t } = useTranslation('ui');
  const stats = useLab((s) => s.stats);
  const history = useLab((s) => s.statsHistory);
  return (
    <section className="panel metrics" aria-labelledby="metrics-title">
      <h2 id="metrics-title">{t('metrics.title')}</h2>
      {!stats ? (
        <p className="empty">{t('metrics.empty')}</p>
      ) : (
        <>
          <dl className="figures" data-testid="metrics">
            <div>
              <dt>{t('metrics.write')}</dt>
              <dd data-testid="write-amp">{stats.writeAmplification.toFixed(1)}×</dd>
              <dd className="explain">
                {t('metrics.writeDetail', {
                  written: showSize(stats.storageBytesWritten),
                  user: showSize(stats.userBytes),
                })}
              </dd>
            </div>
            <div>
              <dt>{t('metrics.read')}</dt>
              <dd data-testid="read-amp">{t('metrics.readValue', { n: stats.tablesPerGet.toFixed(2) })}</dd>
              <dd className="explain">
                {t('metrics.readDetail', {
                  blocks: stats.blocksPerGet.toFixed(2),
                  skips: t('metrics.bloomSkips', { count: stats.bloomSkips }),
                  gets: t('metrics.gets', { count: stats.gets }),
                })}
              </dd>
            </div>
            <div>
              <dt>{t('metrics.space')}</dt>
              <dd data-testid="space-amp">{stats.spaceAmplification.toFixed(2)}×</dd>
              <dd className="explain">
                {t('metrics.spaceDetail', {
                  disk: showSize(stats.diskBytes),
                  live: showSize(stats.liveBytes),
                  count: stats.liveKeys,
                })}
              </dd>
            </div>
            <div>
              <dt>{t('metrics.tableRatio')}</dt>
              <dd data-testid="table-ratio">
                {stats.tableDataBytes > 0 ? `${((100 * stats.tableBytes) / stats.tableDataBytes).toFixed(0)} %` : '–'}
              </dd>
              <dd className="explain">
                {t('metrics.tableDetail', {
                  files: showSize(stats.tableBytes),
                  entries: showSize(stats.tableDataBytes),
                })}
              </dd>
            </div>
            <div>
              <dt>{t('metrics.background')}</dt>
              <dd data-testid="compactions">{t('metrics.compactions', { count: stats.compactions })}</dd>
              <dd className="explain">
                {t('metrics.backgroundDetail', {
                  flushes: t('metrics.flushes', { count: stats.flushes }),
                  read: showSize(stats.compactionBytesRead),
                  written: showSize(stats.compactionBytesWritten),
                })}
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
  const { t } = useTranslation('ui');
  if (history.length < 2) return null;
  const width = 420;
  const height = 120;
  const max = Math.max(1, ...history.flatMap((p) => SERIES.map((s) => p[s.key])));
  const x = (i: number) => (i / (history.length - 1)) * width;
  const y = (v: number) => height - (v / max) * (height - 8) - 4;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('metrics.chart')}>
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
            {s.label(t)}
          </span>
        ))}{' '}
        {t('metrics.scale', { max: max.toFixed(1), count: history.length })}
      </figcaption>
    </figure>
  );
}
