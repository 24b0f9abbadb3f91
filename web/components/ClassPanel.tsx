import { type FormEvent, useState } from 'react';
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
  const role = useClass((s) => s.role);
  return (
    <section className="panel class-panel" aria-labelledby="class-title">
      <h2 id="class-title">Class</h2>
      {role === 'teacher' ? <Teaching /> : role === 'student' ? <Following /> : <NoClass />}
    </section>
  );
}

function NoClass() {
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
    else say(`No class answers to the code ${showCode(code)} on this relay.`, 'error');
  };
  return (
    <>
      <p className="explain">
        Students follow your picture on their own devices, each on an engine of its own, and the whole class answers
        each lesson’s question before you reveal it. No names, no accounts: a class lasts while it is used.
      </p>
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
        Start a class
      </button>
      <form className="class-join" onSubmit={join}>
        <label>
          Join with a code
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="ABCD 2345"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={!relay || !readCode(typed) || busy}>
          Join
        </button>
      </form>
    </>
  );
}

function Teaching() {
  const code = useClass((s) => s.code);
  const link = useClass((s) => s.link);
  const online = useClass((s) => s.online);
  const states = useClass((s) => s.states);
  const { students, following } = tally(states, null);
  return (
    <div className="class-teaching">
      <p className="class-code-line">
        Join with the code{' '}
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
          Copy link
        </button>
      </p>
      <p className="class-count" aria-live="polite" data-testid="class-following">
        {following} {following === 1 ? 'student' : 'students'} following
        {students > following ? ` (${students - following} exploring on their own)` : ''}
        {online ? '' : ' · relay unreachable, retrying'}
      </p>
      <button
        type="button"
        className="quiet"
        onClick={async () => {
          if (!confirm('End the class? Students keep their copy; this tab opens your own database again.')) return;
          const { endClass } = await loadTeacher();
          await endClass();
        }}
      >
        End the class
      </button>
    </div>
  );
}

function Following() {
  const mode = useClass((s) => s.mode);
  const online = useClass((s) => s.online);
  const notes = useClass((s) => s.notes);
  return (
    <div className="class-following">
      <p aria-live="polite">
        {mode === 'following'
          ? 'You are following the teacher: the picture replays what the teacher does, on your own engine.'
          : mode === 'catching-up'
            ? 'Catching up with the class…'
            : mode === 'exploring'
              ? 'You are exploring on your own: your clicks act on your copy.'
              : 'The class has ended: your copy is yours to explore.'}
        {online || mode === 'ended' ? '' : ' The relay is unreachable: retrying, nothing is lost.'}
      </p>
      <ClassSwitch />
      {notes.length > 0 && (
        <ul className="class-notes" aria-label="Ignored class messages">
          {notes.map((note, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: notes only grow at the end
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The join link as a QR code, drawn as one SVG path of its dark modules. */
function QrCode({ text }: { text: string }) {
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
      aria-label="QR code of the join link"
      data-testid="class-qr"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
