import type { Durability } from '@lsm-lab/engine';
import type { CrashPoint } from '@lsm-lab/engine/worker';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { t } from '../i18n';
import { CRASH_POINTS } from '../model/narrate';
import { armCrash, changeSettings, corrupt, deleteManifest, repairDatabase, setCrashKind } from '../store/actions';
import { useCalm } from '../store/hooks';
import { type LabState, useLab } from '../store/store';
import { RecoveryReport } from './RecoveryReport';
import { RepairReport } from './RepairReport';

const DURABILITY: Record<Durability, () => string> = {
  durable: () => t('ui:crashLab.durability.durable'),
  group: () => t('ui:crashLab.durability.group'),
  relaxed: () => t('ui:crashLab.durability.relaxed'),
};

/** Crash the engine on purpose, at a chosen moment, as a crashed tab or as a power cut; damage a file. */
export function CrashLab() {
  const { t } = useTranslation('ui');
  const crashKind = useLab((s) => s.crashKind);
  const armed = useLab((s) => s.armed);
  const durability = useLab((s) => s.settings.durability);
  const open = useLab((s) => s.connection.status === 'open');
  const [point, setPoint] = useState<CrashPoint>('wal-append');
  return (
    <section className="panel crash-lab" aria-labelledby="crash-title">
      <h2 id="crash-title">{t('crashLab.title')}</h2>
      <RecoveryReport />
      <div className="lab-row">
        <fieldset className="choice">
          <legend>{t('crashLab.kind')}</legend>
          <label>
            <input
              type="radio"
              name="crash-kind"
              checked={crashKind === 'process'}
              onChange={() => setCrashKind('process')}
            />
            {t('crashLab.process')}
          </label>
          <label>
            <input
              type="radio"
              name="crash-kind"
              checked={crashKind === 'power'}
              onChange={() => setCrashKind('power')}
            />
            {t('crashLab.power')}
          </label>
        </fieldset>
        <label>
          {t('crashLab.durabilityLabel')}
          <select
            value={durability}
            onChange={(e) => void changeSettings({ durability: e.target.value as Durability })}
          >
            <option value="durable">{t('crashLab.durable')}</option>
            <option value="group">{t('crashLab.group')}</option>
            <option value="relaxed">{t('crashLab.relaxed')}</option>
          </select>
          <span className="explain">{DURABILITY[durability]()}</span>
        </label>
      </div>
      <div className="lab-row">
        <label>
          {t('crashLab.point')}
          <select value={point} onChange={(e) => setPoint(e.target.value as CrashPoint)}>
            {(Object.keys(CRASH_POINTS) as CrashPoint[]).map((p) => (
              <option key={p} value={p}>
                {CRASH_POINTS[p]}
              </option>
            ))}
          </select>
        </label>
        <div className="buttons">
          <button type="button" disabled={!open} onClick={() => void armCrash(point)}>
            {t('crashLab.arm')}
          </button>
          <button type="button" disabled={!open || !armed} onClick={() => void armCrash(null)}>
            {t('crashLab.disarm')}
          </button>
        </div>
        <p className={`armed ${armed ? 'on' : ''}`} data-testid="armed">
          {armed ? t('crashLab.armed', { where: CRASH_POINTS[armed] }) : t('crashLab.notArmed')}
        </p>
      </div>
      <CorruptionLab />
      <div className="lab-row">
        <strong>{t('status.failed.repair')}</strong>
        <div className="buttons">
          <button type="button" className="danger" disabled={!open} onClick={() => void deleteManifest()}>
            {t('crashLab.deleteManifest')}
          </button>
          <button type="button" disabled={!open} onClick={() => void repairDatabase()}>
            {t('status.failed.repair')}
          </button>
        </div>
        <span className="explain">{t('crashLab.repairExplain')}</span>
      </div>
      <RepairReport />
    </section>
  );
}

const selectWals = (s: LabState) => s.view.wals;
const selectTables = (s: LabState) => s.view.tables;
const selectManifest = (s: LabState) => s.view.manifest;

/** Every file of the database, to damage one byte of. During a workload its list follows once a second (useCalm). */
function CorruptionLab() {
  const { t } = useTranslation('ui');
  const wals = useCalm(selectWals);
  const tables = useCalm(selectTables);
  const manifest = useCalm(selectManifest);
  const open = useLab((s) => s.connection.status === 'open');
  const files = [
    ...wals.map((w) => ({ file: w.file, size: w.size })),
    ...tables.filter((table) => table.committed).map((table) => ({ file: table.file, size: table.size })),
    ...(manifest.file ? [{ file: manifest.file, size: manifest.size }] : []),
  ];
  const [file, setFile] = useState('');
  const [offset, setOffset] = useState(0);
  const chosen = files.find((f) => f.file === file) ?? files[0];
  const valid = chosen !== undefined && offset >= 0 && offset < chosen.size;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (valid && chosen) void corrupt(chosen.file, offset);
  };
  return (
    <form className="lab-row" onSubmit={onSubmit}>
      <strong>{t('crashLab.corruption')}</strong>
      <label>
        {t('crashLab.file')}
        <select className="file-select" value={chosen?.file ?? ''} onChange={(e) => setFile(e.target.value)}>
          {files.map((f) => (
            <option key={f.file} value={f.file}>
              {f.file} ({t('wal.bytes', { count: f.size })})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('crashLab.byte')}
        <input
          type="number"
          min={0}
          max={Math.max(0, (chosen?.size ?? 1) - 1)}
          value={offset}
          onChange={(e) => setOffset(Number(e.target.value))}
        />
      </label>
      <button type="submit" disabled={!open || !valid}>
        {t('crashLab.flip')}
      </button>
      <span className="explain">{t('crashLab.flipExplain')}</span>
    </form>
  );
}
