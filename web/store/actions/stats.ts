// The amplification figures (write, space, read) for the metrics panel: asked of the engine at most once a second,
// however many events say that the tree changed, and kept as a short history for the chart.
import { useLab } from '../store';
import { session } from './session';

/** How many points the chart keeps. */
const HISTORY_POINTS = 120;

/** Asks for fresh figures a second from now: one request, however many calls come meanwhile. */
export function refreshStats(): void {
  session.statsDue = true;
  if (session.statsTimer !== undefined) return;
  session.statsTimer = setTimeout(async () => {
    session.statsTimer = undefined;
    const client = session.client;
    if (!session.statsDue || !client?.alive) return;
    session.statsDue = false;
    try {
      const stats = await client.stats();
      useLab.setState((s) => ({
        stats,
        statsHistory: [
          ...s.statsHistory,
          {
            writes: stats.userBytes,
            writeAmplification: stats.writeAmplification,
            spaceAmplification: stats.spaceAmplification,
            tablesPerGet: stats.tablesPerGet,
          },
        ].slice(-HISTORY_POINTS),
      }));
    } catch {
      // The worker crashed or closed meanwhile: the next open refreshes.
    }
    if (session.statsDue) refreshStats();
  }, 1000);
}
