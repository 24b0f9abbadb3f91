// Every file the engine writes has a readable name carrying a number from one counter, as in LevelDB:
// 000003.log (a WAL), 000004.sst (an SSTable), MANIFEST-000001 (the manifest). Larger number = newer.

export type FileKind = 'wal' | 'sstable' | 'manifest';

export function walName(number: number): string {
  return `${pad(number)}.log`;
}

export function sstableName(number: number): string {
  return `${pad(number)}.sst`;
}

export function manifestName(number: number): string {
  return `MANIFEST-${pad(number)}`;
}

export function parseFileName(name: string): { kind: FileKind; number: number } | undefined {
  let match = /^(\d{6,})\.log$/.exec(name);
  if (match) return { kind: 'wal', number: Number(match[1]) };
  match = /^(\d{6,})\.sst$/.exec(name);
  if (match) return { kind: 'sstable', number: Number(match[1]) };
  match = /^MANIFEST-(\d{6,})$/.exec(name);
  if (match) return { kind: 'manifest', number: Number(match[1]) };
  return undefined;
}

function pad(number: number): string {
  return String(number).padStart(6, '0');
}
