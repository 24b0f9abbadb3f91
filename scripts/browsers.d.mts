// Types for scripts/browsers.mjs (imported by the Firefox smoke run and the unit tests).
export interface Browser {
  name: string;
  variable: string;
  system: string;
  debianPackage: string;
  download: string[];
  own: () => Promise<string | undefined>;
}
export interface Machine {
  root: boolean;
  debian: boolean;
}
export const FIREFOX_CACHE: string;
export const CHROMIUM: Browser;
export const FIREFOX: Browser;
export function find(
  browser: Browser,
  env?: Record<string, string | undefined>,
  isExecutable?: (path: string) => boolean,
): Promise<{ path: string; source: string } | { problem: string } | undefined>;
export function firefoxExecutable(): Promise<string | undefined>;
export function installPlan(missing: Browser[], machine: Machine): { apt: string[] } | { downloads: string[][] };
export function whatToRun(missing: Browser[], machine: Machine): string;
