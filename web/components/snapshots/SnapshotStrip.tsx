// The live snapshots as markers on the sequence numbers: a line of them in order, oldest first, ending at the last
// sequence number written ("now"). It sits in the memtable's heading row (the picture's own space), so nothing
// above the picture moves when a snapshot is taken; with no snapshot it is not drawn. Markers keep their order,
// not a scale: at a scale, snapshots a few writes apart would lie on top of each other.
import { useLab } from '../../store/store';

export function SnapshotStrip() {
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
  const label = (seq: number) => (live.length > 1 ? `#${seq}` : `snap #${seq}`);
  const shown = live.length <= 3 ? live : [live[0]!, ...live.slice(-2)];
  const between = live.length - shown.length;
  return (
    <figure className="snapshot-strip" aria-label="Live snapshots on the sequence numbers">
      <div className="snapshot-track">
        {shown.map((seq, i) => (
          <span
            key={seq}
            className={`snapshot-marker ${readingAt === seq ? 'reading' : ''}`}
            data-testid="snapshot-marker"
            data-seq={seq}
            data-reading={readingAt === seq ? 'true' : undefined}
            title={`Snapshot at sequence ${seq}: reads at it see every write up to #${seq}, none after.`}
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
            title={`The running scan's own snapshot at sequence ${scanSnapshot}: released when it ends.`}
          >
            <span className="snapshot-label">scan #{scanSnapshot}</span>
          </span>
        )}
      </div>
      <figcaption className="snapshot-now">now #{last}</figcaption>
    </figure>
  );
}
