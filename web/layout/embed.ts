// The embed view (`?embed`): the live picture for an iframe in slides or a course page. Only the picture, the
// caption and a compact toolbar; it fits 800×450 without scrolling. It works on a database of its own, so that an
// embed never locks the lab a student has open in another tab, and it takes its settings and lesson from the
// address: `?embed&lesson=crash&memtable=512&compaction=tiered`. A `#scenario=…` link replays inside it as anywhere.
import type { CompactionStrategy, Compression } from '@lsm-lab/engine';
import type { LabSettings } from '../store/store';

const params = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);

/** Whether this page is the embed view. */
export const EMBED = params.has('embed');

/** The database an embed works on: `&db=name`, or one shared by every embed of this site. */
export const EMBED_DATABASE = params.get('db') || 'lsm-lab-embed';

/**
 * The lesson the address opens, as written there: its slug (`?lesson=compaction`) or, in links made before
 * slugs, its number (`?lesson=5`); lessonBySlug (model/lessons.ts) reads both.
 */
export function lessonFromAddress(): string | undefined {
  return params.get('lesson') || undefined;
}

const COMPACTION: CompactionStrategy[] = ['leveled', 'tiered', 'off'];
const COMPRESSION: Compression[] = ['none', 'deflate'];

/**
 * Settings the address names: memtable and block (bytes), bloom (bits per key, 0 = off), compaction
 * (leveled / tiered / off), compression (none / deflate). Anything else, or a value out of range, is ignored.
 */
export function settingsFromAddress(): Partial<LabSettings> {
  const out: Partial<LabSettings> = {};
  const bytes = (name: string, min: number, max: number) => {
    const n = Number(params.get(name));
    return params.has(name) && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const memtable = bytes('memtable', 64, 64 * 1024 * 1024);
  if (memtable !== undefined) out.memtableBytes = memtable;
  const block = bytes('block', 64, 64 * 1024);
  if (block !== undefined) out.blockSize = block;
  const bloom = bytes('bloom', 0, 20);
  if (bloom !== undefined) out.bloomBitsPerKey = bloom;
  const compaction = params.get('compaction') as CompactionStrategy | null;
  if (compaction && COMPACTION.includes(compaction)) out.compaction = compaction;
  const compression = params.get('compression') as Compression | null;
  if (compression && COMPRESSION.includes(compression)) out.compression = compression;
  return out;
}
