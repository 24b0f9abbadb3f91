// FieldList: the fields of one file, collected as the parsers walk it. It keeps only what the selection asks for,
// yet notes every byte range it was told about, so that the bytes no structure points at can be named at the end.
import '../../i18n/fields';
import { fromHex, toHex } from '@lsm-lab/engine';
import { t } from '../../i18n';
import type { Field, FieldKind, Selection } from './field';

/** A label, or what computes it: labels are built only for the fields a selection keeps. */
type Label = string | (() => string);

export class FieldList {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #from: number;
  readonly #to: number;
  readonly #key: Uint8Array | undefined;
  readonly #problems: boolean;
  readonly #fields: Field[] = [];
  /** The byte ranges found so far, kept or not, merged as they come (a few runs): finish() names the gaps. */
  readonly #covered: Array<{ start: number; end: number }> = [];

  constructor(bytes: Uint8Array, selection: Selection) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#from = selection.from ?? 0;
    this.#to = selection.to ?? bytes.length;
    this.#key = selection.key === undefined ? undefined : keyBytes(selection.key);
    this.#problems = selection.problems ?? false;
  }

  add(start: number, end: number, kind: FieldKind, label: Label, group: string, extra?: Extra): void {
    if (end <= start) return;
    this.cover(start, end);
    if (!this.#wants(start, end, kind, extra)) return;
    const field: Field = { start, end, kind, label: typeof label === 'string' ? label : label(), group };
    if (extra?.key) field.keyHex = toHex(this.bytes.subarray(start, end));
    if (extra?.partOf) field.keyHex = toHex(extra.partOf);
    if (extra?.problem) {
      field.problem = extra.problem;
      field.label = `${field.label} (${extra.problem})`;
    }
    this.#fields.push(field);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  /** Sorted, overlaps trimmed (a parser bug must not show a byte twice), gaps named as unparsed bytes. */
  finish(): Field[] {
    const found = [...this.#fields];
    const covered = [...this.#covered].sort((a, b) => a.start - b.start);
    let at = 0;
    for (const run of covered) {
      if (run.start > at) this.#addGap(at, run.start, found);
      at = Math.max(at, run.end);
    }
    if (at < this.bytes.length) this.#addGap(at, this.bytes.length, found);
    found.sort((a, b) => a.start - b.start);
    const out: Field[] = [];
    at = 0;
    for (const field of found) {
      if (field.end <= at) continue;
      out.push(field.start < at ? { ...field, start: at } : field);
      at = field.end;
    }
    return out;
  }

  #addGap(start: number, end: number, out: Field[]): void {
    if (!this.#wants(start, end, 'unparsed')) return;
    const label = t('fields:gap.label', { n: end - start });
    out.push({ start, end, kind: 'unparsed', label, group: t('fields:gap.group') });
  }

  /**
   * Whether the fields of [start, end) can be skipped unread: the selection is a page that lies elsewhere. The caller
   * then calls cover(), so that the bytes do not look like a gap.
   */
  skippable(start: number, end: number): boolean {
    return this.#key === undefined && !this.#problems && (end <= this.#from || start >= this.#to);
  }

  cover(start: number, end: number): void {
    const last = this.#covered[this.#covered.length - 1];
    if (last && start === last.end) last.end = end;
    else this.#covered.push({ start, end });
  }

  #wants(start: number, end: number, kind: FieldKind, extra?: Extra): boolean {
    if (end <= this.#from || start >= this.#to) return false;
    if (this.#problems && !(extra?.problem || kind === 'torn' || kind === 'unparsed')) return false;
    if (this.#key && !((extra?.key && this.#holds(start, end, this.#key)) || sameBytes(extra?.partOf, this.#key))) {
      return false;
    }
    return true;
  }

  #holds(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.bytes[start + i] !== key[i]) return false;
    return true;
  }
}

export interface Extra {
  /** The field holds a key: it gets keyHex. */
  key?: boolean;
  /** The field holds the stored part of this key (a prefix-compressed key's unshared bytes): it gets its keyHex. */
  partOf?: Uint8Array | undefined;
  problem?: string | undefined;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A selection's key as bytes; a string that is not hex matches nothing. */
function keyBytes(hex: string): Uint8Array | undefined {
  try {
    return fromHex(hex);
  } catch {
    return new Uint8Array(0);
  }
}
