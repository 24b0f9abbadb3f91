import type { CompactionStrategy } from '@lsm-lab/engine';
import { useTranslation } from 'react-i18next';
import { useFollowing } from '../class/store';
import { i18n } from '../i18n';
import { advanceClock, changeSettings } from '../store/actions';
import { useLab } from '../store/store';
import { LanguageMenu } from './LanguageMenu';
import { RelayField } from './RelayField';

const MEMTABLE_LIMITS = [128, 256, 512, 1024, 4096, 65536, 4 * 1024 * 1024];
const BLOCK_SIZES = [64, 256, 1024, 4096];
/** The TTL filter's choices, in ms (0: values never expire). */
const TTLS = [0, 10_000, 60_000, 10 * 60_000, 60 * 60_000];

const ttlLabel = (ms: number) =>
  ms === 0 ? i18n.t('ui:settings.ttlNever') : ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`;

const RESTART_INTERVALS = [1, 2, 4, 8, 16];

export const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;

/** The engine's switches. Each applies from the next flush or compaction on; existing files keep their format. */
export function SettingsPanel() {
  const { t } = useTranslation('ui');
  const settings = useLab((s) => s.settings);
  // A following student's engine has the teacher's settings: changing them would draw another tree.
  const following = useFollowing();
  return (
    <>
      <LanguageMenu />
      <fieldset className="engine-settings" disabled={following}>
        <legend>{t('settings.engine')}</legend>
        <label>
          {t('settings.memtableLimit')}
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
          {t('settings.blockSize')}
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
          {t('settings.restartInterval')}
          <select
            value={settings.restartInterval ?? 16}
            onChange={(e) => void changeSettings({ restartInterval: Number(e.target.value) })}
            title={t('settings.restartTitle')}
          >
            {RESTART_INTERVALS.map((n) => (
              <option key={n} value={n}>
                {t('settings.everyKeys', { count: n })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.compaction')}
          <select
            value={settings.compaction}
            onChange={(e) => void changeSettings({ compaction: e.target.value as CompactionStrategy })}
          >
            <option value="leveled">{t('settings.leveled')}</option>
            <option value="tiered">{t('settings.tiered')}</option>
            <option value="off">{t('settings.off')}</option>
          </select>
        </label>
        <label>
          {t('settings.levelSizes')}
          <select
            value={settings.dynamicLevelBytes ? 'dynamic' : 'static'}
            onChange={(e) => void changeSettings({ dynamicLevelBytes: e.target.value === 'dynamic' })}
          >
            <option value="static">{t('settings.static')}</option>
            <option value="dynamic">{t('settings.dynamic')}</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.bloomBitsPerKey > 0}
            onChange={(e) => void changeSettings({ bloomBitsPerKey: e.target.checked ? 10 : 0 })}
          />
          {t('settings.bloom')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.compression === 'deflate'}
            onChange={(e) => void changeSettings({ compression: e.target.checked ? 'deflate' : 'none' })}
          />
          {t('settings.compress')}
        </label>
        <PrefixField prefixes={settings.filterPrefixes} />
        <label>
          {t('settings.ttl')}
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
            {t('settings.moveClock', { time: ttlLabel(settings.filterTtlMs) })}
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
  const { t } = useTranslation('ui');
  const shown = prefixes.join(', ');
  const take = (text: string) => {
    const next = [...new Set(text.split(',').map((p) => p.trim()))].filter((p) => p.length > 0);
    if (next.join(', ') !== shown) void changeSettings({ filterPrefixes: next });
  };
  return (
    <label>
      {t('settings.prefixes')}
      <input
        key={shown}
        type="text"
        defaultValue={shown}
        placeholder={t('settings.prefixesPlaceholder')}
        title={t('settings.prefixesTitle')}
        data-testid="filter-prefixes"
        onBlur={(e) => take(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') take(e.currentTarget.value);
        }}
      />
    </label>
  );
}
