// What the lab tells the student: the one message line under the controls, and an engine error in words.
import { ErrorCode, LsmError } from '@lsm-lab/engine';
import { t } from '../../i18n';
import { type Message, useLab } from '../store';

/** `text` is best a function calling `t`: the line then follows a change of language after it was said. */
export function say(text: Message['text'], tone: 'info' | 'ok' | 'error' = 'info'): void {
  useLab.setState({ message: { text, tone } });
}

/** A message's words, in the language chosen now. */
export const messageText = (message: Pick<Message, 'text'>): string =>
  typeof message.text === 'function' ? message.text() : message.text;

/**
 * An error as a sentence, in the UI's language; the engine's own errors also name the file and the byte where they
 * were found. The engine keeps its codes and its English messages: the UI words each code itself (`ui:errors.<code>`,
 * with the file, the offset and the engine's message as parameters). English says the engine's message as it is.
 */
export function describeError(error: unknown): string {
  if (error instanceof LsmError) {
    // Most engine messages name their file and byte already ("000004.sst is corrupt at byte 0: …").
    const named = error.file === undefined || error.message.includes(error.file);
    const where = named
      ? ''
      : error.offset === undefined
        ? t('ui:errors.inFile', { file: error.file })
        : t('ui:errors.atByte', { file: error.file, offset: error.offset });
    return `${errorText(error)}${where}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** One static key per code, so that the key check sees every one. */
function errorText(error: LsmError): string {
  const params = { message: error.message, file: error.file ?? '?', offset: error.offset ?? '?' };
  switch (error.code) {
    case ErrorCode.InvalidArgument:
      return t('ui:errors.invalid-argument', params);
    case ErrorCode.Corruption:
      return t('ui:errors.corruption', params);
    case ErrorCode.IoError:
      return t('ui:errors.io-error', params);
    case ErrorCode.QuotaExceeded:
      return t('ui:errors.quota-exceeded', params);
    case ErrorCode.ReadOnly:
      return t('ui:errors.read-only', params);
    case ErrorCode.Closed:
      return t('ui:errors.closed', params);
    case ErrorCode.Locked:
      return t('ui:errors.locked', params);
    case ErrorCode.Busy:
      return t('ui:errors.busy', params);
    case ErrorCode.Crashed:
      return t('ui:errors.crashed', params);
    case ErrorCode.Unsupported:
      return t('ui:errors.unsupported', params);
    case ErrorCode.StorageDenied:
      return t('ui:errors.storage-denied', params);
    case ErrorCode.TxnConflict:
      return t('ui:errors.txn-conflict', params);
    case ErrorCode.TxnFinished:
      return t('ui:errors.txn-finished', params);
    default:
      return error.message;
  }
}
