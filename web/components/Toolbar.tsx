import { type FormEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import { useFollowing } from '../class/store';
import { openDock } from '../layout/dock';
import { EMBED } from '../layout/embed';
import type { InputFormat } from '../model/input';
import {
  abortTxn,
  beginTxn,
  commitTxn,
  compact,
  crash,
  flush,
  get,
  insertRandom,
  put,
  putOutside,
  recover,
  releaseSnapshot,
  remove,
  reset,
  scan,
  setInputFormat,
  takeSnapshot,
} from '../store/actions';
import { useLab } from '../store/store';
import { ClassBadge } from './ClassBadge';

/**
 * The one row of actions above the picture: a key and a value, then what a class does most (Put, Get, Delete,
 * Insert random, Flush, Compact, Simulate crash, Recover). Rarer things (Scan, the input format, Reset) sit in
 * the More menu. On a phone the five commonest actions become a bar at the bottom of the screen (CSS moves them;
 * the buttons are the same).
 */
export function Toolbar() {
  const [key, setKey] = useState('user:1');
  const [value, setValue] = useState('Ada');
  const status = useLab((s) => s.connection.status);
  const crashKind = useLab((s) => s.crashKind);
  // A following student's engine is the teacher's to drive: its buttons wait until the student explores.
  const following = useFollowing();
  const open = status === 'open' && !following;
  const needsKey = key.length === 0;
  const crashButton = useRef<HTMLButtonElement>(null);
  const recoverButton = useRef<HTMLButtonElement>(null);
  // Simulate crash disables itself and Recover disables itself: pressed from the keyboard, the focus would fall
  // to the page. It moves to the button that makes sense next instead.
  const focusNext = useRef<'recover' | 'crash' | null>(null);
  useEffect(() => {
    if (focusNext.current === 'recover' && status === 'crashed') recoverButton.current?.focus();
    else if (focusNext.current === 'crash' && status === 'open') crashButton.current?.focus();
    else return;
    focusNext.current = null;
  }, [status]);
  const fromKeyboard = (event: MouseEvent) => event.detail === 0;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (open && !needsKey) void put(key, value);
  };

  return (
    <section className={`toolbar ${following ? 'following' : ''}`} aria-label="Database operations">
      <h1 className="brand">LSM Lab</h1>
      <form className="kv" onSubmit={onSubmit}>
        <label className="inline">
          Key
          <input value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <label className="inline value-field">
          Value
          <input value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <div className="actions">
          <ClassBadge where="toolbar" />
          <button type="submit" className="bar" disabled={!open || needsKey}>
            Put
          </button>
          <button type="button" className="bar" disabled={!open || needsKey} onClick={() => void get(key)}>
            Get
          </button>
          <button type="button" className="wide delete" disabled={!open || needsKey} onClick={() => void remove(key)}>
            Delete
          </button>
          <button
            type="button"
            className="bar"
            disabled={!open}
            onClick={() => void insertRandom()}
            aria-label={EMBED ? 'Insert random' : undefined}
          >
            {EMBED ? 'Random' : 'Insert random'}
          </button>
          <button type="button" className="wide" disabled={!open} onClick={() => void flush()}>
            Flush
          </button>
          <button type="button" className="wide" disabled={!open} onClick={() => void compact()}>
            Compact
          </button>
          <button
            ref={crashButton}
            type="button"
            className="bar danger"
            disabled={!open}
            onClick={(event) => {
              if (fromKeyboard(event)) focusNext.current = 'recover';
              void crash();
            }}
            title={crashKind === 'power' ? 'Power loss (set in the crash lab)' : 'Process crash (set in the crash lab)'}
            aria-label={EMBED ? 'Simulate crash' : undefined}
          >
            {EMBED ? 'Crash' : 'Simulate crash'}
          </button>
          <button
            ref={recoverButton}
            type="button"
            className="bar recover"
            disabled={status !== 'crashed' || following}
            onClick={(event) => {
              if (fromKeyboard(event)) focusNext.current = 'crash';
              void recover();
            }}
          >
            Recover
          </button>
        </div>
      </form>
      {EMBED ? (
        <a className="open-lab" href={`${location.pathname}`} target="_blank" rel="noopener">
          Full lab ↗
        </a>
      ) : (
        <MoreMenu keyText={key} valueText={value} needsKey={needsKey} />
      )}
    </section>
  );
}

/** Rarer actions, and on a phone the ones the bottom bar has no room for. */
function MoreMenu({ keyText, valueText, needsKey }: { keyText: string; valueText: string; needsKey: boolean }) {
  const [scanEnd, setScanEnd] = useState('');
  const [expanded, setExpanded] = useState(false);
  const following = useFollowing();
  const status = useLab((s) => (following ? 'following' : s.connection.status));
  const inputFormat = useLab((s) => s.inputFormat);
  const snapshots = useLab((s) => s.view.snapshots);
  const txn = useLab((s) => s.view.txns.at(-1));
  const open = status === 'open';
  const close = () => setExpanded(false);
  return (
    <details className="more-menu" open={expanded} onToggle={(e) => setExpanded(e.currentTarget.open)}>
      <summary>More</summary>
      <div className="menu-body">
        <div className="menu-row narrow">
          <button type="button" disabled={!open || needsKey} onClick={() => void remove(keyText)}>
            Delete
          </button>
          <button type="button" disabled={!open} onClick={() => void flush()}>
            Flush
          </button>
          <button type="button" disabled={!open} onClick={() => void compact()}>
            Compact
          </button>
        </div>
        <div className="menu-row">
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
          <button
            type="button"
            disabled={!open}
            onClick={() => {
              close();
              openDock('reads');
              void scan(keyText, scanEnd);
            }}
          >
            Scan
          </button>
        </div>
        <p className="explain">From the Key field up to “Scan to”: every pair in order, merged from all sources.</p>
        <fieldset className="snapshot-menu" aria-label="Snapshot">
          <legend>Snapshot</legend>
          <button
            type="button"
            disabled={!open}
            title="A snapshot is a sequence number: reads at it see the database as it is now, whatever comes later."
            onClick={() => void takeSnapshot()}
          >
            Take snapshot
          </button>
          {snapshots.length > 0 && (
            <ul className="live-snapshots" aria-label="Live snapshots">
              {[...new Set(snapshots)].map((seq) => (
                <li key={seq} className="live-snapshot" data-testid="live-snapshot" data-seq={seq}>
                  <span className="snapshot-name">#{seq}</span>
                  <button
                    type="button"
                    disabled={!open || needsKey}
                    aria-label={`Get the Key field at snapshot ${seq}`}
                    onClick={() => {
                      close();
                      void get(keyText, seq);
                    }}
                  >
                    Get
                  </button>
                  <button
                    type="button"
                    disabled={!open}
                    aria-label={`Scan at snapshot ${seq}`}
                    onClick={() => {
                      close();
                      openDock('reads');
                      void scan(keyText, scanEnd, seq);
                    }}
                  >
                    Scan
                  </button>
                  <button
                    type="button"
                    disabled={!open}
                    aria-label={`Release snapshot ${seq}`}
                    onClick={() => void releaseSnapshot(seq)}
                  >
                    Release
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <fieldset className="txn-menu" aria-label="Transaction">
          <legend>Transaction</legend>
          {txn ? (
            <>
              <p className="explain" data-testid="txn-open">
                Transaction {txn.id} reads at #{txn.seq}; {txn.workspace.length} in its workspace. Put, Delete and Get
                go through it.
              </p>
              <button
                type="button"
                disabled={!open}
                onClick={() => {
                  close();
                  void commitTxn();
                }}
              >
                Commit
              </button>
              <button
                type="button"
                disabled={!open}
                onClick={() => {
                  close();
                  void abortTxn();
                }}
              >
                Abort
              </button>
              <button
                type="button"
                disabled={!open || needsKey}
                title="A plain put of the Key and Value fields, as another client would write while the transaction is open."
                onClick={() => {
                  close();
                  void putOutside(keyText, valueText);
                }}
              >
                Put outside it
              </button>
            </>
          ) : (
            <button
              type="button"
              disabled={!open}
              title="Reads at a snapshot, writes kept private until commit; the commit is refused if what it read was written since."
              onClick={() => {
                close();
                void beginTxn();
              }}
            >
              Begin transaction
            </button>
          )}
        </fieldset>
        <label>
          Input as
          <select value={inputFormat} onChange={(e) => setInputFormat(e.target.value as InputFormat)}>
            <option value="text">Text (UTF-8)</option>
            <option value="hex">Hex bytes</option>
          </select>
        </label>
        <button
          type="button"
          disabled={status === 'starting' || status === 'recovering' || following}
          onClick={() => {
            if (confirm('Delete every file of this database and start empty?')) {
              close();
              void reset();
            }
          }}
        >
          Reset database
        </button>
      </div>
    </details>
  );
}
