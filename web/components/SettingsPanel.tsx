import type { CompactionStrategy } from '@lsm-lab/engine';
import { useFollowing } from '../class/store';
import { advanceClock, changeSettings } from '../store/actions';
import { useLab } from '../store/store';
import { RelayField } from './RelayField';

const MEMTABLE_LIMITS = [128, 256, 512, 1024, 4096, 65536, 4 * 1024 * 1024];
const BLOCK_SIZES = [64, 256, 1024, 4096];
/** The TTL filter's choices, in ms (0: values never expire). */
const TTLS = [0, 10_000, 60_000, 10 * 60_000, 60 * 60_000];

const ttlLabel = (ms: number) => (ms === 0 ? 'Never' : ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);

const RESTART_INTERVALS = [1, 2, 4, 8, 16];

export const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;

/** The engine's switches. Each applies from the next flush or compaction on; existing files keep their format. */
export function SettingsPanel() {
  const settings = useLab((s) => s.settings);
  // A following student's engine has the teacher's settings: changing them would draw another tree.
  const following = useFollowing();
  return (
    <>
      <fieldset className="engine-settings" disabled={following}>
        <legend>Engine settings</legend>
        <label>
          Memtable limit
          <select
            value={settings.memtableBytes}
            onChange={(e) => void changeSettings({ memtableBytes: Number(e.target.value) })}
          >
            {MEMTABLE_LIMITS.map((bytes) => (
              <option key={bytes} value={bytes}>
                {sizeLabel(bytes)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Block size
          <select
            value={settings.blockSize}
            onChange={(e) => void changeSettings({ blockSize: Number(e.target.value) })}
          >
            {BLOCK_SIZES.map((bytes) => (
              <option key={bytes} value={bytes}>
                {sizeLabel(bytes)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Restart interval
          <select
            value={settings.restartInterval ?? 16}
            onChange={(e) => void changeSettings({ restartInterval: Number(e.target.value) })}
            title="In a data block, a key is stored whole every this many keys (a restart point); the keys between store only the bytes they do not share with the key before"
          >
            {RESTART_INTERVALS.map((n) => (
              <option key={n} value={n}>
                every {n === 1 ? 'key' : `${n} keys`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Compaction
          <select
            value={settings.compaction}
            onChange={(e) => void changeSettings({ compaction: e.target.value as CompactionStrategy })}
          >
            <option value="leveled">Leveled</option>
            <option value="tiered">Size-tiered</option>
            <option value="off">Off</option>
          </select>
        </label>
        <label>
          Level sizes
          <select
            value={settings.dynamicLevelBytes ? 'dynamic' : 'static'}
            onChange={(e) => void changeSettings({ dynamicLevelBytes: e.target.value === 'dynamic' })}
          >
            <option value="static">Static (LevelDB: L1, then ×10 per level)</option>
            <option value="dynamic">Dynamic (RocksDB: from the last level up)</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.bloomBitsPerKey > 0}
            onChange={(e) => void changeSettings({ bloomBitsPerKey: e.target.checked ? 10 : 0 })}
          />
          Bloom filters
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.compression === 'deflate'}
            onChange={(e) => void changeSettings({ compression: e.target.checked ? 'deflate' : 'none' })}
          />
          Compress blocks
        </label>
        <PrefixField prefixes={settings.filterPrefixes} />
        <label>
          Filter: expire values after
          <select
            value={settings.filterTtlMs}
            onChange={(e) => void changeSettings({ filterTtlMs: Number(e.target.value) })}
          >
            {TTLS.map((ms) => (
              <option key={ms} value={ms}>
                {ttlLabel(ms)}
              </option>
            ))}
          </select>
        </label>
        {settings.filterTtlMs > 0 && (
          // The engine's clock, not the real one: a class sees values expire without waiting out the TTL.
          <button type="button" onClick={() => void advanceClock(settings.filterTtlMs)}>
            Move the clock {ttlLabel(settings.filterTtlMs)} ahead
          </button>
        )}
      </fieldset>
      <RelayField />
    </>
  );
}

/**
 * The prefix filter's prefixes, comma separated: taken when the field is left or Enter is pressed, not per keystroke
 * (each change is a setOptions, and a half-typed prefix would filter keys it was not meant to).
 */
function PrefixField({ prefixes }: { prefixes: string[] }) {
  const shown = prefixes.join(', ');
  const take = (text: string) => {
    const next = [...new Set(text.split(',').map((p) => p.trim()))].filter((p) => p.length > 0);
    if (next.join(', ') !== shown) void changeSettings({ filterPrefixes: next });
  };
  return (
    <label>
      Filter: drop keys starting with
      <input
        key={shown}
        type="text"
        defaultValue={shown}
        placeholder="none (e.g. tmp:, cache:)"
        title="Key prefixes compaction drops, comma separated"
        data-testid="filter-prefixes"
        onBlur={(e) => take(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') take(e.currentTarget.value);
        }}
      />
    </label>
  );
}
