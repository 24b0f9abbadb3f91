import { useTranslation } from 'react-i18next';
import { withLanguage } from '../i18n';
import { useLab } from '../store/store';

/**
 * The one line an embed on another site shows when the browser denies it storage (third-party storage blocked):
 * the lab runs in memory, what a crash and a reload then do, and the way to the full lab, where storage works.
 * Never a word about another tab: nobody else holds the database.
 */
export function StorageLine() {
  const { t } = useTranslation('ui');
  const state = useLab((s) => s.storageDenied);
  // The full view of the lab, top level in a new tab: first-party there, so its files go to disk.
  const fullLab = withLanguage(`${location.origin}${location.pathname}`);
  const why = state === 'refused' ? t('storageLine.refused') : t('storageLine.blocked');
  return (
    <p className="storage-line" data-testid="storage-line">
      <span>
        {t('storageLine.body', { why })}{' '}
        <a href={fullLab} target="_blank" rel="noopener">
          {t('storageLine.open')}
        </a>
      </span>
    </p>
  );
}
