// What the lab tells the student: the one message line under the controls, and an engine error in words.
import { LsmError } from '@lsm-lab/engine';
import { useLab } from '../store';

export function say(text: string, tone: 'info' | 'ok' | 'error' = 'info'): void {
  useLab.setState({ message: { text, tone } });
}

/** An error as a sentence; the engine's own errors also name the file and the byte where they were found. */
export function describeError(error: unknown): string {
  if (error instanceof LsmError) {
    // Most engine messages name their file and byte already ("000004.sst is corrupt at byte 0: …").
    const named = error.file === undefined || error.message.includes(error.file);
    const where = named ? '' : ` (${error.file}${error.offset === undefined ? '' : ` at byte ${error.offset}`})`;
    return `${error.message}${where}`;
  }
  return error instanceof Error ? error.message : String(error);
}
