// Walker: reads fields one after another inside a structure (a record's payload, a block, the footer), and turns
// whatever does not fit into one 'unparsed' field instead of throwing.
import '../../i18n/fields';
import { readVarint32 } from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import { type FieldKind, fieldKindText } from './field';
import type { FieldList } from './field-list';
import { shown } from './words';

/**
 * Reads fields one after another inside [start, end). When the next field does not fit, the rest of the range
 * becomes one unparsed field saying what was expected, and every later read returns undefined.
 */
export class Walker {
  readonly #list: FieldList;
  readonly #end: number;
  readonly group: string;
  at: number;
  #stopped = false;

  constructor(list: FieldList, start: number, end: number, group: string) {
    this.#list = list;
    this.at = start;
    this.#end = end;
    this.group = group;
  }

  get left(): number {
    return this.#end - this.at;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** The next byte, without taking it (undefined at the end). */
  peek(): number | undefined {
    return this.left > 0 ? this.#list.bytes[this.at] : undefined;
  }

  #take(size: number, kind: FieldKind): number | undefined {
    if (this.#stopped) return undefined;
    if (size > this.left) {
      this.stop(t('fields:walker.expected', { kind: fieldKindText(kind), size, left: this.left, group: this.group }));
      return undefined;
    }
    const at = this.at;
    this.at += size;
    return at;
  }

  u8(kind: FieldKind, label: (value: number) => string, check?: (value: number) => string | undefined) {
    const at = this.#take(1, kind);
    if (at === undefined) return undefined;
    const value = this.#list.bytes[at]!;
    this.#list.add(at, at + 1, kind, () => label(value), this.group, { problem: check?.(value) });
    return value;
  }

  u32(kind: FieldKind, label: (value: number) => string) {
    const at = this.#take(4, kind);
    if (at === undefined) return undefined;
    const value = this.#list.u32(at);
    this.#list.add(at, at + 4, kind, () => label(value), this.group);
    return value;
  }

  u64(kind: FieldKind, label: (value: bigint) => string) {
    const at = this.#take(8, kind);
    if (at === undefined) return undefined;
    const value = this.#list.view.getBigUint64(at, true);
    this.#list.add(at, at + 8, kind, () => label(value), this.group);
    return value;
  }

  /** A varint32 (1 to 5 bytes, seven bits each); a varint that does not end in range stops the walk. */
  varint(kind: FieldKind, label: (value: number) => string, check?: (value: number) => string | undefined) {
    if (this.#stopped) return undefined;
    const packed = readVarint32(this.#list.bytes, this.at, this.#end);
    if (packed < 0) {
      this.stop(t('fields:walker.varint', { kind: fieldKindText(kind), group: this.group }));
      return undefined;
    }
    const at = this.at;
    const value = Math.floor(packed / 8);
    this.at += packed % 8;
    this.#list.add(at, this.at, kind, () => label(value), this.group, { problem: check?.(value) });
    return value;
  }

  /** `size` bytes; the label is given them shown as text (or hex when they are not printable). */
  bytes(size: number, kind: FieldKind, label: (shown: string) => string, key = false, partOf?: Uint8Array): void {
    const at = this.#take(size, kind);
    if (at === undefined) return;
    const bytes = this.#list.bytes;
    const extra = { key, partOf };
    this.#list.add(at, at + size, kind, () => label(shown(bytes.subarray(at, at + size))), this.group, extra);
  }

  /** The rest of the range as one unparsed field (nothing when nothing is left). */
  stop(label: string): void {
    if (!this.#stopped) this.#list.add(this.at, this.#end, 'unparsed', label, this.group);
    this.#stopped = true;
    this.at = this.#end;
  }
}
