// The flush worker: a dedicated worker that the tree's worker starts once, for every tree in it (background-flush.ts),
// to build a frozen memtable's SSTable on another thread while the tree goes on taking writes. Each reply hands the
// request's buffer back (transferred), for the next flush to pack into.
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
