// Types for scripts/class-relay.mjs (imported by the unit tests).
export interface RelayOptions {
  host?: string;
  /** 0: any free port (the relay reports the one it got). */
  port?: number;
  roomTtlMs?: number;
  emptyGraceMs?: number;
  log?: (line: string) => void;
}
export interface RelayStats {
  rooms: number;
  connections: number;
  teachers: number;
  students: number;
  dropped: number;
}
export interface Relay {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): RelayStats;
}
export const CLOSE_NOT_A_ROOM: 4404;
export const CLOSE_WRONG_KEY: 4403;
export const CLOSE_TOO_MANY: 4429;
export const CLOSE_EXPIRED: 4410;
export function base32(bytes: Uint8Array): string;
export function roomIdOf(key: string): Promise<string>;
export function codeOf(key: string): Promise<string>;
export function startRelay(options?: RelayOptions): Promise<Relay>;
