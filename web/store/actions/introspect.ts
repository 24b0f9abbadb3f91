// LevelDB's introspection, asked of the engine as a program would (GetProperty): the page shows the answer as text
// and draws nothing from it (the picture comes from the events).
import { session } from './session';

/** The engine's answer to property(name), or null when it is not running or does not know the name. */
export async function readProperty(name: string): Promise<string | null> {
  const client = session.client;
  if (!client?.alive) return null;
  try {
    return await client.property(name);
  } catch {
    // The engine went away between the question and the answer (a crash): nothing to show.
    return null;
  }
}
