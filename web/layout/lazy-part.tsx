// Parts of the picture that the first frame never shows (the read probe, the compaction banner, the status
// screens, the transaction workspace): each is a chunk of its own, so that the initial JS stays small, and every
// one is fetched as soon as the first frame is drawn (preloadParts), so that it is there before it is needed.
import { type ComponentType, lazy, Suspense } from 'react';

const loaders: Array<() => Promise<unknown>> = [];

/**
 * `name` exported by the module `load` imports, as a component that renders nothing until its chunk is here (its
 * own Suspense boundary: the rest of the picture never waits for it).
 */
export function lazyPart<P extends object, K extends string>(
  load: () => Promise<Record<K, ComponentType<P>>>,
  name: K,
): ComponentType<P> {
  loaders.push(load);
  // (Typed as a plain component: a lazy one's props type does not resolve for a generic P.)
  const Part = lazy(() => load().then((m) => ({ default: m[name] }))) as unknown as ComponentType<P>;
  return (props: P) => (
    <Suspense fallback={null}>
      <Part {...props} />
    </Suspense>
  );
}

/** Fetches every part's chunk, once the browser is idle after the first frame. */
export function preloadParts(): void {
  const start = () => {
    for (const load of loaders) void load().catch(() => {});
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}
