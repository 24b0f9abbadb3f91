// The live snapshots as markers on the sequence numbers: a short line from the first write to the last one, with a
// marker where each live snapshot stands. It sits in the memtable's heading row (the picture's own space), so
// nothing above the picture moves when a snapshot is taken; with no snapshot it is not drawn.
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
  const span = Math.max(1, last);
  return (
    <figure className="snapshot-strip" aria-label="Live snapshots on the sequence numbers">
      <div className="snapshot-track">
        {scanSnapshot !== null && !live.includes(scanSnapshot) && (
          <span
            className="snapshot-marker scan-own"
            data-testid="scan-snapshot-marker"
            data-seq={scanSnapshot}
            style={{ left: `${(100 * scanSnapshot) / span}%` }}
            title={`The running scan's own snapshot at sequence ${scanSnapshot}: released when it ends.`}
          >
            <span className="snapshot-label">scan #{scanSnapshot}</span>
          </span>
        )}
        {live.map((seq) => (
          <span
            key={seq}
            className={`snapshot-marker ${readingAt === seq ? 'reading' : ''}`}
            data-testid="snapshot-marker"
            data-seq={seq}
            data-reading={readingAt === seq ? 'true' : undefined}
            style={{ left: `${(100 * seq) / span}%` }}
            title={`Snapshot at sequence ${seq}: reads at it see every write up to #${seq}, none after.`}
          >
            <span className="snapshot-label">snap #{seq}</span>
          </span>
        ))}
      </div>
      <figcaption className="snapshot-now">now #{last}</figcaption>
    </figure>
  );
}
