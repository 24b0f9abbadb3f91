import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { encode } from 'uqr';
import { loadStudent, loadTeacher } from '../class/load';
import { tally } from '../class/protocol';
import { joinLink, readCode, showCode } from '../class/room';
import { useClass } from '../class/store';
import { say } from '../store/actions/say';
import { ClassSwitch } from './ClassBadge';
import { RelayField } from './RelayField';

/**
 * Class mode: the teacher starts a class (a room on the relay, a code and a QR code for the projector, how many
 * follow), students join by the link or the code and follow on their own devices, each replaying the teacher's
 * operations on an engine of its own. With no relay set there is no class: the lab works the same without one.
 */
export function ClassPanel() {
  const { t } = useTranslation('ui');
  const role = useClass((s) => s.role);
  return (
    <section className="panel class-panel" aria-labelledby="class-title">
      <h2 id="class-title">{t('class.title')}</h2>
      {role === 'teacher' ? <Teaching /> : role === 'student' ? <Following /> : <NoClass />}
    </section>
  );
}

function NoClass() {
  const { t } = useTranslation('ui');
  const relay = useClass((s) => s.relay);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const join = async (event: FormEvent) => {
    event.preventDefault();
    const code = readCode(typed);
    if (!relay || !code) return;
    setBusy(true);
    const { roomOfCode } = await loadStudent();
    const room = await roomOfCode(relay, code);
    setBusy(false);
    if (room) location.assign(joinLink(location.href, relay, room));
    else say(() => t('ui:class.msg.noCode', { code: showCode(code) }), 'error');
  };
  return (
    <>
      <p className="explain">{t('class.intro')}</p>
      <RelayField />
      <button
        type="button"
        className="class-start"
        disabled={!relay || busy}
        onClick={async () => {
          setBusy(true);
          const { startClass } = await loadTeacher();
          await startClass();
          setBusy(false);
        }}
      >
        {t('class.start')}
      </button>
      <form className="class-join" onSubmit={join}>
        <label>
          {t('class.joinWithCode')}
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="ABCD 2345"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={!relay || !readCode(typed) || busy}>
          {t('class.join')}
        </button>
      </form>
    </>
  );
}

function Teaching() {
  const { t } = useTranslation('ui');
  const code = useClass((s) => s.code);
  const link = useClass((s) => s.link);
  const online = useClass((s) => s.online);
  const states = useClass((s) => s.states);
  const { students, following } = tally(states, null);
  return (
    <div className="class-teaching">
      <p className="class-code-line">
        {t('class.joinWithTheCode')}{' '}
        <strong className="class-code" data-testid="class-code">
          {code ? showCode(code) : ''}
        </strong>
      </p>
      {link && <QrCode text={link} />}
      <p className="class-link">
        <a href={link ?? undefined} data-testid="class-link" target="_blank" rel="noopener">
          {link}
        </a>{' '}
        <button type="button" className="quiet" onClick={() => link && void navigator.clipboard?.writeText(link)}>
          {t('class.copyLink')}
        </button>
      </p>
      <p className="class-count" aria-live="polite" data-testid="class-following">
        {t('class.following', { count: following })}
        {students > following ? t('class.exploringCount', { count: students - following }) : ''}
        {online ? '' : t('class.relayDown')}
      </p>
      <button
        type="button"
        className="quiet"
        onClick={async () => {
          if (!confirm(t('class.endConfirm'))) return;
          const { endClass } = await loadTeacher();
          await endClass();
        }}
      >
        {t('class.end')}
      </button>
    </div>
  );
}

function Following() {
  const { t } = useTranslation('ui');
  const mode = useClass((s) => s.mode);
  const online = useClass((s) => s.online);
  const notes = useClass((s) => s.notes);
  return (
    <div className="class-following">
      <p aria-live="polite">
        {mode === 'following'
          ? t('class.mode.following')
          : mode === 'catching-up'
            ? t('class.mode.catchingUp')
            : mode === 'exploring'
              ? t('class.mode.exploring')
              : t('class.mode.ended')}
        {online || mode === 'ended' ? '' : t('class.mode.offline')}
      </p>
      <ClassSwitch />
      {notes.length > 0 && (
        <ul className="class-notes" aria-label={t('class.ignored')}>
          {notes.map((note, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: notes only grow at the end
            <li key={i}>{t('class.msg.ignored', { n: note })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The join link as a QR code, drawn as one SVG path of its dark modules. */
function QrCode({ text }: { text: string }) {
  const { t } = useTranslation('ui');
  const { data, size } = encode(text, { border: 2, ecc: 'M' });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      className="class-qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={t('class.qr')}
      data-testid="class-qr"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
