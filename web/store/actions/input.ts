// What the student typed, as bytes: text as UTF-8, or hex when the input format says so. A bad entry is said on
// the message line and gives nothing.
import { parseInput } from '../../model/input';
import { useLab } from '../store';
import { say } from './say';

/** The field's bytes in the chosen input format, or undefined after saying what is wrong with them. */
export function bytesOf(text: string, field: 'Key' | 'Value'): Uint8Array | undefined {
  const parsed = parseInput(text, useLab.getState().inputFormat, field);
  if ('error' in parsed) {
    say(parsed.error, 'error');
    return undefined;
  }
  return parsed.bytes;
}
