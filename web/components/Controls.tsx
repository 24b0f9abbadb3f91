import { type FormEvent, useState } from 'react';
import type { InputFormat } from '../model/input';
import {
  compact,
  crash,
  flush,
  get,
  insertRandom,
  put,
  recover,
  remove,
  reset,
  scan,
  setInputFormat,
} from '../store/actions';
import { useLab } from '../store/store';

export function Controls() {
  const [key, setKey] = useState('user:1');
  const [value, setValue] = useState('Ada');
  const [scanEnd, setScanEnd] = useState('');
  const status = useLab((s) => s.connection.status);
  const message = useLab((s) => s.message);
  const inputFormat = useLab((s) => s.inputFormat);
  const crashKind = useLab((s) => s.crashKind);
  const open = status === 'open';
  const needsKey = key.length === 0;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (open && !needsKey) void put(key, value);
  };

  return (
    <section className="controls" aria-label="Database operations">
      <form className="kv" onSubmit={onSubmit}>
        <label>
          Input as
          <select value={inputFormat} onChange={(e) => setInputFormat(e.target.value as InputFormat)}>
            <option value="text">Text (UTF-8)</option>
            <option value="hex">Hex bytes</option>
          </select>
        </label>
        <label>
          Key
          <input value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Value
          <input value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <div className="buttons">
          <button type="submit" disabled={!open || needsKey}>
            Put
          </button>
          <button type="button" disabled={!open || needsKey} onClick={() => void get(key)}>
            Get
          </button>
          <button type="button" disabled={!open || needsKey} onClick={() => void remove(key)}>
            Delete
          </button>
          <button type="button" disabled={!open} onClick={() => void flush()}>
            Flush
          </button>
          <button type="button" disabled={!open} onClick={() => void insertRandom()}>
            Insert random
          </button>
          <button type="button" disabled={!open} onClick={() => void compact()}>
            Compact
          </button>
        </div>
        <label>
          Scan to
          <input
            value={scanEnd}
            onChange={(e) => setScanEnd(e.target.value)}
            placeholder="(the end)"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="button" disabled={!open} onClick={() => void scan(key, scanEnd)}>
          Scan
        </button>
      </form>
      <div className="buttons danger-zone">
        <button
          type="button"
          className="danger"
          disabled={!open}
          onClick={() => void crash()}
          title={crashKind === 'power' ? 'Power loss (set in the crash lab)' : 'Process crash (set in the crash lab)'}
        >
          Simulate crash
        </button>
        <button type="button" className="recover" disabled={status !== 'crashed'} onClick={() => void recover()}>
          Recover
        </button>
        <button
          type="button"
          disabled={status === 'starting' || status === 'recovering'}
          onClick={() => {
            if (confirm('Delete every file of this database and start empty?')) void reset();
          }}
        >
          Reset database
        </button>
      </div>
      <p role="status" className={`status status-${message?.tone ?? 'info'}`} data-testid="status">
        {message?.text ??
          (status === 'starting' ? 'Opening the database…' : 'Ready. Put a key, or press Insert random.')}
      </p>
    </section>
  );
}
