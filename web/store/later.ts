// The actions (./actions) and the player (./player), for the parts of the first frame that only call them when
// clicked or keyed (the toolbar, the player's buttons, the shortcuts, a key's button): they and what they import
// (the engine's client, the narration) are a chunk of their own, so that the initial JS stays small. main.tsx
// fetches it while the first frame is drawn, and the database cannot open without it (connect is in it), so a
// button is never pressed before it is here: then each call runs at once, as a direct call would. A call made
// before (a shortcut pressed while the page loads) runs as soon as the chunk is here.
import type * as Actions from './actions';
import type * as Player from './player';

type Deferred = typeof Actions & typeof Player;
type Callable = {
  [K in keyof Deferred]: Deferred[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Deferred];
type Later<F> = F extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : never;

let loaded: Deferred | undefined;
let loading: Promise<Deferred> | undefined;

/** Fetches the actions and the player (once); resolves with them. */
export function loadActions(): Promise<Deferred> {
  loading ??= Promise.all([import('./actions'), import('./player')]).then(
    ([actions, player]) => (loaded = { ...actions, ...player }),
  );
  return loading;
}

function later<K extends Callable>(name: K): Later<Deferred[K]> {
  const call = (from: Deferred, args: unknown[]) => (from[name] as (...args: unknown[]) => unknown)(...args);
  return ((...args: unknown[]) =>
    loaded ? call(loaded, args) : loadActions().then((from) => call(from, args))) as Later<Deferred[K]>;
}

export const abortTxn = later('abortTxn');
export const beginTxn = later('beginTxn');
export const catchUp = later('catchUp');
export const commitTxn = later('commitTxn');
export const compact = later('compact');
export const crash = later('crash');
export const flush = later('flush');
export const get = later('get');
export const insertRandom = later('insertRandom');
export const put = later('put');
export const putOutside = later('putOutside');
export const recover = later('recover');
export const releaseSnapshot = later('releaseSnapshot');
export const remove = later('remove');
export const reset = later('reset');
export const scan = later('scan');
export const seek = later('seek');
export const setHighlightKey = later('setHighlightKey');
export const setInputFormat = later('setInputFormat');
export const setSpeed = later('setSpeed');
export const setStartPaused = later('setStartPaused');
export const setStepBy = later('setStepBy');
export const stepBack = later('stepBack');
export const stepForward = later('stepForward');
export const takeSnapshot = later('takeSnapshot');
export const togglePlaying = later('togglePlaying');
