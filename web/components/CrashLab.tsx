import type { Durability } from '@lsm-lab/engine';
import type { CrashPoint } from '@lsm-lab/engine/worker';
import { type FormEvent, useState } from 'react';
import { CRASH_POINTS } from '../model/narrate';
import { armCrash, changeSettings, corrupt, deleteManifest, repairDatabase, setCrashKind } from '../store/actions';
import { useCalm } from '../store/hooks';
import { type LabState, useLab } from '../store/store';
import { RecoveryReport } from './RecoveryReport';
import { RepairReport } from './RepairReport';

const DURABILITY: Record<Durability, string> = {
  durable: 'Each write is flushed before it is acknowledged (the seed’s fsync). Survives any crash; the slowest.',
  group:
    'Writes are written and flushed in groups, one write() each; each is acknowledged after its group’s flush. Just as safe, far fewer flushes when many writes are in flight.',
  relaxed:
    'Acknowledged at once; written and flushed with its group within 5 ms. The fastest, but any crash in those 5 ms loses the last acknowledged writes.',
};

/** Crash the engine on purpose, at a chosen moment, as a crashed tab or as a power cut; damage a file. */
export function CrashLab() {
  const crashKind = useLab((s) => s.crashKind);
  const armed = useLab((s) => s.armed);
  const durability = useLab((s) => s.settings.durability);
  const open = useLab((s) => s.connection.status === 'open');
  const [point, setPoint] = useState<CrashPoint>('wal-append');
  return (
    <section className="panel crash-lab" aria-labelledby="crash-title">
      <h2 id="crash-title">Crash lab</h2>
      <RecoveryReport />
      <div className="lab-row">
        <fieldset className="choice">
          <legend>Crash kind</legend>
          <label>
            <input
              type="radio"
              name="crash-kind"
              checked={crashKind === 'process'}
              onChange={() => setCrashKind('process')}
            />
            Process crash (the tab or worker dies: written bytes stay)
          </label>
          <label>
            <input
              type="radio"
              name="crash-kind"
              checked={crashKind === 'power'}
              onChange={() => setCrashKind('power')}
            />
            Power loss (unflushed writes are kept, dropped, torn or garbled)
          </label>
        </fieldset>
        <label>
          Durability
          <select
            value={durability}
            onChange={(e) => void changeSettings({ durability: e.target.value as Durability })}
          >
            <option value="durable">Flush every write</option>
            <option value="group">Group commit</option>
            <option value="relaxed">Relaxed</option>
          </select>
          <span className="explain">{DURABILITY[durability]}</span>
        </label>
      </div>
      <div className="lab-row">
        <label>
          Crash point
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
            Arm crash point
          </button>
          <button type="button" disabled={!open || !armed} onClick={() => void armCrash(null)}>
            Disarm
          </button>
        </div>
        <p className={`armed ${armed ? 'on' : ''}`} data-testid="armed">
          {armed
            ? `Armed: ${CRASH_POINTS[armed]}. The next write, flush or compaction that gets there dies.`
            : 'Not armed.'}
        </p>
      </div>
      <CorruptionLab />
      <div className="lab-row">
        <strong>Repair</strong>
        <div className="buttons">
          <button type="button" className="danger" disabled={!open} onClick={() => void deleteManifest()}>
            Delete the manifest
          </button>
          <button type="button" disabled={!open} onClick={() => void repairDatabase()}>
            Repair
          </button>
        </div>
        <span className="explain">
          Without its manifest the database does not open. Repair (LevelDB's RepairDB) reads every SSTable and WAL end
          to end, writes a new manifest naming what it could read, and sets aside what it could not.
        </span>
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
  const wals = useCalm(selectWals);
  const tables = useCalm(selectTables);
  const manifest = useCalm(selectManifest);
  const open = useLab((s) => s.connection.status === 'open');
  const files = [
    ...wals.map((w) => ({ file: w.file, size: w.size })),
    ...tables.filter((t) => t.committed).map((t) => ({ file: t.file, size: t.size })),
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
      <strong>Corruption lab</strong>
      <label>
        File
        <select className="file-select" value={chosen?.file ?? ''} onChange={(e) => setFile(e.target.value)}>
          {files.map((f) => (
            <option key={f.file} value={f.file}>
              {f.file} ({f.size} bytes)
            </option>
          ))}
        </select>
      </label>
      <label>
        Byte
        <input
          type="number"
          min={0}
          max={Math.max(0, (chosen?.size ?? 1) - 1)}
          value={offset}
          onChange={(e) => setOffset(Number(e.target.value))}
        />
      </label>
      <button type="submit" disabled={!open || !valid}>
        Flip byte
      </button>
      <span className="explain">
        Inverts the byte on disk. Get a key stored there, or Simulate crash and Recover: the checksums catch it.
      </span>
    </form>
  );
}
