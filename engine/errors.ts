// The engine's one error type. Like LevelDB's Status, it carries a small code, and where a file is
// involved, the file name and byte offset, so that corruption is always reported where it was found.

/** What went wrong, as a code a program can switch on. */
export const ErrorCode = {
  /** The caller passed something the engine refuses (empty key, oversized value, ...). Nothing was written. */
  InvalidArgument: 'invalid-argument',
  /** Bytes on storage fail their checksum or do not parse. `file` and `offset` say where. */
  Corruption: 'corruption',
  /** Storage refused or shortened a read, write, flush or truncate. */
  IoError: 'io-error',
  /** The browser's storage quota is full: nothing more can be written until space is freed. */
  QuotaExceeded: 'quota-exceeded',
  /**
   * A write reached storage but could not be made durable, or could not be cut back: the database refuses
   * further writes (reads still work) until it is reopened, which recovers from what is really on storage.
   */
  ReadOnly: 'read-only',
  /** The database was closed; open it again. */
  Closed: 'closed',
  /** Another tab (or worker) holds this database open. */
  Locked: 'locked',
  /** A file stayed locked by a previous, dying worker for longer than the open retry allows. */
  Busy: 'busy',
  /** The worker running the database was terminated (a simulated or real crash) before it answered. */
  Crashed: 'crashed',
  /** OPFS sync access handles are not available in this browser or context. */
  Unsupported: 'unsupported',
  /**
   * The browser denies this page its storage (OPFS, Web Locks) with a SecurityError: a frame on another site
   * while third-party storage is blocked (Safari, Brave, Chrome with third-party cookies blocked). Not "locked":
   * nobody else holds the database.
   */
  StorageDenied: 'storage-denied',
  /**
   * A transaction's commit was refused: a key it read, or a key in a range it scanned, was written by another
   * commit after the transaction began (txn.ts). Nothing of it was written; run it again on a new transaction.
   */
  TxnConflict: 'txn-conflict',
  /** The transaction was already committed or aborted: it takes no more reads or writes. */
  TxnFinished: 'txn-finished',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class LsmError extends Error {
  override readonly name = 'LsmError';
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(code: ErrorCode, message: string, where: { file?: string; offset?: number; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.code = code;
    this.file = where.file;
    this.offset = where.offset;
  }
}

export function corruption(file: string, offset: number, what: string): LsmError {
  return new LsmError(ErrorCode.Corruption, `${file} is corrupt at byte ${offset}: ${what}`, { file, offset });
}

export function invalidArgument(message: string): LsmError {
  return new LsmError(ErrorCode.InvalidArgument, message);
}

/**
 * A SecurityError from the browser's storage (OPFS, Web Locks) means it denies this page storage here (a frame on
 * another site with third-party storage blocked): StorageDenied, so that no one reads it as a missing file or a
 * lock held by another tab. Anything else is returned as it is.
 */
export function deniedOr(error: unknown): unknown {
  if (!(error instanceof DOMException && error.name === 'SecurityError')) return error;
  return new LsmError(ErrorCode.StorageDenied, `the browser denies this page its storage here: ${error.message}`, {
    cause: error,
  });
}
