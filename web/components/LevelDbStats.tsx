import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readProperty } from '../store/actions/introspect';
import { useLab } from '../store/store';

/** property('stats'), as leveldb.stats prints it: asked again each time the figures above are. */
export function LevelDbStats() {
  const { t } = useTranslation('ui');
  const stats = useLab((s) => s.stats);
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    if (stats) void readProperty('stats').then((answer) => current && setText(answer));
    return () => {
      current = false;
    };
  }, [stats]);
  if (!text) return null;
  return (
    <details className="leveldb-stats">
      <summary>{t('metrics.leveldbStats')}</summary>
      <pre data-testid="leveldb-stats">{text}</pre>
    </details>
  );
}
