// The flush worker: a dedicated worker the tree starts (background-flush.ts) to build a flushed memtable's SSTable
// on another thread, while the tree's own worker goes on taking writes. One request at a time; each reply hands
// the request's buffer back (transferred), for the next flush to pack into.
import { ErrorCode } from './errors';
import { buildTable, type FlushReply, type FlushRequest } from './flush-table';
import { OpfsStorage } from './storage/opfs';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<FlushRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = async ({ data: request }) => {
  const { id, directory, entries, name } = request;
  const reply: FlushReply = directory
    ? await buildTable(OpfsStorage.fromDirectory(directory), request)
    : {
        id,
        ok: false,
        error: { code: ErrorCode.Unsupported, message: `no OPFS directory to write ${name} in` },
        entries,
      };
  scope.postMessage(reply, [reply.entries]);
};
