import { type FormEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFollowing } from '../class/store';
import { withLanguage } from '../i18n';
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
} from '../store/later';
import { useLab } from '../store/store';
import { ClassBadgeSlot } from './ClassBadgeSlot';
import { LanguageMenu } from './LanguageMenu';

/**
 * The one row of actions above the picture: a key and a value, then what a class does most (Put, Get, Delete,
 * Insert random, Flush, Compact, Simulate crash, Recover). Rarer things (Scan, the input format, Reset) sit in
 * the More menu. On a phone the five commonest actions become a bar at the bottom of the screen (CSS moves them;
 * the buttons are the same).
 */
export function Toolbar() {
  const { t } = useTranslation('ui');
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
    <section className={`toolbar ${following ? 'following' : ''}`} aria-label={t('toolbar.label')}>
      <h1 className="brand">LSM Lab</h1>
      <form className="kv" onSubmit={onSubmit}>
        <label className="inline">
          {t('toolbar.key')}
          <input value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <label className="inline value-field">
          {t('toolbar.value')}
          <input value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <div className="actions">
          <ClassBadgeSlot where="toolbar" />
          <button type="submit" className="bar" disabled={!open || needsKey}>
            {t('toolbar.put')}
          </button>
          <button type="button" className="bar" disabled={!open || needsKey} onClick={() => void get(key)}>
            {t('toolbar.get')}
          </button>
          <button type="button" className="wide delete" disabled={!open || needsKey} onClick={() => void remove(key)}>
            {t('toolbar.delete')}
          </button>
          <button
            type="button"
            className="bar"
            disabled={!open}
            onClick={() => void insertRandom()}
            aria-label={EMBED ? t('toolbar.insertRandom') : undefined}
          >
            {EMBED ? t('toolbar.random') : t('toolbar.insertRandom')}
          </button>
          <button type="button" className="wide" disabled={!open} onClick={() => void flush()}>
            {t('toolbar.flush')}
          </button>
          <button type="button" className="wide" disabled={!open} onClick={() => void compact()}>
            {t('toolbar.compact')}
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
            title={crashKind === 'power' ? t('toolbar.crashTitlePower') : t('toolbar.crashTitleProcess')}
            aria-label={EMBED ? t('toolbar.simulateCrash') : undefined}
          >
            {EMBED ? t('toolbar.crash') : t('toolbar.simulateCrash')}
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
            {t('toolbar.recover')}
          </button>
        </div>
      </form>
      {EMBED ? (
        <a
          className="open-lab"
          href={withLanguage(`${location.origin}${location.pathname}`)}
          target="_blank"
          rel="noopener"
        >
          {t('toolbar.fullLab')}
        </a>
      ) : (
        <MoreMenu keyText={key} valueText={value} needsKey={needsKey} />
      )}
    </section>
  );
}

/** Rarer actions, and on a phone the ones the bottom bar has no room for. */
function MoreMenu({ keyText, valueText, needsKey }: { keyText: string; valueText: string; needsKey: boolean }) {
  const { t } = useTranslation('ui');
  const [scanEnd, setScanEnd] = useState('');
  const [expanded, setExpanded] = useState(false);
  const following = useFollowing();
  const status = useLab((s) => (following ? 'following' : s.connection.status));
  const inputFormat = useLab((s) => s.inputFormat);
  const snapshots = useLab((s) => s.view.snapshots);
  const txn = useLab((s) => s.view.txns.at(-1));
  const open = status === 'open';
  const close = () => setExpanded(false);
  /** A menu action that closes the menu first. */
  const closing = (action: () => unknown) => () => {
    close();
    void action();
  };
  return (
    <details className="more-menu" open={expanded} onToggle={(e) => setExpanded(e.currentTarget.open)}>
      <summary>{t('toolbar.more')}</summary>
      <div className="menu-body">
        <div className="menu-row narrow">
          {/* On a phone these are the bar's: the menu closes, so that the picture they change is seen. */}
          <button type="button" disabled={!open || needsKey} onClick={closing(() => remove(keyText))}>
            {t('toolbar.delete')}
          </button>
          <button type="button" disabled={!open} onClick={closing(flush)}>
            {t('toolbar.flush')}
          </button>
          <button type="button" disabled={!open} onClick={closing(compact)}>
            {t('toolbar.compact')}
          </button>
        </div>
        <div className="menu-row">
          <label>
            {t('toolbar.scanTo')}
            <input
              value={scanEnd}
              onChange={(e) => setScanEnd(e.target.value)}
              placeholder={t('toolbar.scanEnd')}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <button
            type="button"
            disabled={!open}
            onClick={closing(() => {
              openDock('reads');
              return scan(keyText, scanEnd);
            })}
          >
            {t('toolbar.scan')}
          </button>
        </div>
        <p className="explain">{t('toolbar.scanExplain')}</p>
        <fieldset className="snapshot-menu" aria-label={t('toolbar.snapshot')}>
          <legend>{t('toolbar.snapshot')}</legend>
          <button type="button" disabled={!open} title={t('toolbar.snapshotTitle')} onClick={() => void takeSnapshot()}>
            {t('toolbar.takeSnapshot')}
          </button>
          {snapshots.length > 0 && (
            <ul className="live-snapshots" aria-label={t('toolbar.liveSnapshots')}>
              {[...new Set(snapshots)].map((seq) => (
                <li key={seq} className="live-snapshot" data-testid="live-snapshot" data-seq={seq}>
                  <span className="snapshot-name">#{seq}</span>
                  <button
                    type="button"
                    disabled={!open || needsKey}
                    aria-label={t('toolbar.getAtSnapshot', { seq })}
                    onClick={closing(() => get(keyText, seq))}
                  >
                    {t('toolbar.get')}
                  </button>
                  <button
                    type="button"
                    disabled={!open}
                    aria-label={t('toolbar.scanAtSnapshot', { seq })}
                    onClick={closing(() => {
                      openDock('reads');
                      return scan(keyText, scanEnd, seq);
                    })}
                  >
                    {t('toolbar.scan')}
                  </button>
                  <button
                    type="button"
                    disabled={!open}
                    aria-label={t('toolbar.releaseSnapshot', { seq })}
                    onClick={() => void releaseSnapshot(seq)}
                  >
                    {t('toolbar.release')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <fieldset className="txn-menu" aria-label={t('toolbar.transaction')}>
          <legend>{t('toolbar.transaction')}</legend>
          {txn ? (
            <>
              <p className="explain" data-testid="txn-open">
                {t('toolbar.txnOpen', { id: txn.id, seq: txn.seq, count: txn.workspace.length })}
              </p>
              <button type="button" disabled={!open} onClick={closing(commitTxn)}>
                {t('toolbar.commit')}
              </button>
              <button type="button" disabled={!open} onClick={closing(abortTxn)}>
                {t('toolbar.abort')}
              </button>
              <button
                type="button"
                disabled={!open || needsKey}
                title={t('toolbar.putOutsideTitle')}
                onClick={closing(() => putOutside(keyText, valueText))}
              >
                {t('toolbar.putOutside')}
              </button>
            </>
          ) : (
            <button type="button" disabled={!open} title={t('toolbar.beginTxnTitle')} onClick={closing(beginTxn)}>
              {t('toolbar.beginTxn')}
            </button>
          )}
        </fieldset>
        <label>
          {t('toolbar.inputAs')}
          <select value={inputFormat} onChange={(e) => setInputFormat(e.target.value as InputFormat)}>
            <option value="text">{t('toolbar.inputText')}</option>
            <option value="hex">{t('toolbar.inputHex')}</option>
          </select>
        </label>
        <button
          type="button"
          disabled={status === 'starting' || status === 'recovering' || following}
          onClick={() => {
            if (confirm(t('toolbar.resetConfirm'))) {
              close();
              void reset();
            }
          }}
        >
          {t('toolbar.reset')}
        </button>
        <LanguageMenu compact />
      </div>
    </details>
  );
}
