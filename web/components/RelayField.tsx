import { useState } from 'react';
import { setRelay, useClass } from '../class/store';

/** The relay classes go through: `npm run class-server` starts one (README, Deploy). */
export function RelayField() {
  const relay = useClass((s) => s.relay);
  const [text, setText] = useState(relay ?? '');
  const [bad, setBad] = useState(false);
  return (
    <form
      className="relay-field"
      onSubmit={(e) => {
        e.preventDefault();
        setBad(!setRelay(text));
      }}
    >
      <label>
        Class relay
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="ws://127.0.0.1:1234"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={bad}
        />
      </label>
      <button type="submit">Use</button>
      <p className="explain">
        {bad
          ? 'A relay’s address starts with ws:// or wss://.'
          : relay
            ? `Classes go through ${relay}.`
            : 'No relay: class mode is off. Run npm run class-server, then give its address here.'}
      </p>
    </form>
  );
}
