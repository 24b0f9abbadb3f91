// A practice round named by the address: `?practice=<chapter>&seed=<n>` opens the Lessons panel on that chapter's
// round, drawn from that seed (the same questions every time: for a class that practises together, and for tests).
const params = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);

export function practiceFromAddress(): { chapter: string; seed: number | undefined } | undefined {
  const chapter = params.get('practice');
  if (!chapter) return undefined;
  const seed = Number(params.get('seed'));
  return { chapter, seed: params.has('seed') && Number.isInteger(seed) && seed >= 0 ? seed : undefined };
}
