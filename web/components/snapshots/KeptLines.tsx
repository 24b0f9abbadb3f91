// The versions a snapshot keeps alive, under the row or on the card that holds them: an older version kept because a
// live snapshot can still see it, or, once every snapshot that saw it is released, one that nobody can read any more
// and the next flush or compaction drops.

import type { KeptVersion } from '@lsm-lab/engine';
import { useTranslation } from 'react-i18next';
import { showBytes } from '../../model/display';

/** Kept lines drawn per row or card; the rest are counted. */
const KEPT_DRAWN = 3;

export function KeptLines({
  versions,
  live,
  dropsAt,
  found,
  keyShown,
}: {
  versions: Array<KeptVersion & { key?: string }>;
  /** The live snapshots' sequence numbers. */
  live: number[];
  /** What drops a version no snapshot needs: 'flush' (the memtable) or 'compaction' (a table). */
  dropsAt: 'flush' | 'compaction';
  /** The seq of the version a read at a snapshot is answering with, to light it. */
  found?: number | null;
  /** Name each version's key (a card holds many keys; a memtable row is one key's). */
  keyShown?: boolean;
}) {
  const { t } = useTranslation('ui');
  if (versions.length === 0) return null;
  return (
    <ul className="kept-versions" aria-label={t('snapshots.kept.label')}>
      {versions.slice(0, KEPT_DRAWN).map((v) => {
        const seenBy = v.seenBy.filter((s) => live.includes(s));
        const needed = seenBy.length > 0;
        return (
          <li
            key={`${v.key ?? ''} ${v.seq}`}
            className={`kept-version ${needed ? 'kept' : 'unneeded'} ${found === v.seq ? 'found' : ''}`}
            data-testid="kept-version"
            data-seq={v.seq}
            data-key={v.key}
            data-state={needed ? 'kept' : 'unneeded'}
            data-found={found === v.seq ? 'true' : undefined}
          >
            {keyShown && v.key && <span className="kept-key">{showBytes(v.key, 12)}</span>}
            <span className="kept-value">
              {v.op === 'put' ? showBytes(v.value, 12) : t('snapshots.kept.tombstone')}
            </span>{' '}
            <span className="seq">#{v.seq}</span>{' '}
            <span className="kept-why">
              {needed
                ? t('snapshots.kept.keptFor', { snapshots: seenBy.map((s) => `#${s}`).join(' ') })
                : dropsAt === 'flush'
                  ? t('snapshots.kept.dropsAtFlush')
                  : t('snapshots.kept.dropsAtCompaction')}
            </span>
          </li>
        );
      })}
      {versions.length > KEPT_DRAWN && (
        <li className="more">{t('snapshots.kept.more', { count: versions.length - KEPT_DRAWN })}</li>
      )}
    </ul>
  );
}
