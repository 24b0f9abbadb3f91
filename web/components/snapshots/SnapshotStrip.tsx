// The live snapshots as markers on the sequence numbers: a line of them in order, oldest first, ending at the last
// sequence number written ("now"). It sits in the memtable's heading row (the picture's own space), so nothing
// above the picture moves when a snapshot is taken; with no snapshot it is not drawn. Markers keep their order,
// not a scale: at a scale, snapshots a few writes apart would lie on top of each other.
import { useTranslation } from 'react-i18next';
import { useLab } from '../../store/store';

export function SnapshotStrip() {
  const { t } = useTranslation('ui');
  const snapshots = useLab((s) => s.view.snapshots);
  const last = useLab((s) => s.view.lastSequence);
  const read = useLab((s) => s.view.read);
  const scan = useLab((s) => s.view.scan);
  const scanSnapshot = useLab((s) => s.view.scanSnapshot);
  if (snapshots.length === 0 && scanSnapshot === null) return null;
  const live = [...new Set(snapshots)];
  // The snapshot a read or scan shown now reads at: its marker is lit.
  const readingAt = read && !read.stale ? read.at : scan && !scan.stale && scan.at !== null ? scan.at : null;
  // One marker says "snap #n"; several say "#n", so that they fit the row; beyond three, the oldest and the two
  // newest are drawn with the count of those between.
  const label = (seq: number) => (live.length > 1 ? `#${seq}` : t('snapshots.strip.one', { seq }));
  const shown = live.length <= 3 ? live : [live[0]!, ...live.slice(-2)];
  const between = live.length - shown.length;
  return (
    <figure className="snapshot-strip" aria-label={t('snapshots.strip.label')}>
      <div className="snapshot-track">
        {shown.map((seq, i) => (
          <span
            key={seq}
            className={`snapshot-marker ${readingAt === seq ? 'reading' : ''}`}
            data-testid="snapshot-marker"
            data-seq={seq}
            data-reading={readingAt === seq ? 'true' : undefined}
            title={t('snapshots.strip.title', { seq })}
          >
            <span className="snapshot-label">{label(seq)}</span>
            {i === 0 && between > 0 && <span className="snapshot-between"> +{between}</span>}
          </span>
        ))}
        {/* The newest: a scan takes its own after every snapshot before it. */}
        {scanSnapshot !== null && !live.includes(scanSnapshot) && (
          <span
            className="snapshot-marker scan-own"
            data-testid="scan-snapshot-marker"
            data-seq={scanSnapshot}
            title={t('snapshots.strip.scanTitle', { seq: scanSnapshot })}
          >
            <span className="snapshot-label">{t('snapshots.strip.scan', { seq: scanSnapshot })}</span>
          </span>
        )}
      </div>
      <figcaption className="snapshot-now">{t('snapshots.strip.now', { seq: last })}</figcaption>
    </figure>
  );
}
