// What the buttons do. Actions live outside React (zustand style): components import them from here and call them
// like any function. One file per concern; the state they share is the store's (drawn) or the session's (not).
// Layered: a file imports only from the layers below it (Biome's noImportCycles keeps it so).
//   leaves     session.ts (the client, the durability oracle), say.ts (the message line), recording.ts (what the
//              session did, for scenarios and a class), input.ts (typed keys and values), stats.ts, screen.ts
//   lifecycle  connection.ts (opening the engine, its events, settings, reset, the worker's end),
//              storage-access.ts (below it: given connect to reopen), handover.ts (tabs hand the database over)
//   input      writes.ts, reads.ts, snapshots.ts, txns.ts, crash.ts, repair.ts, files.ts, introspect.ts
//   course     operations.ts (one recorded operation, as its button), lessons.ts, practice.ts
//   top        scenarios.ts (links and files of a session, replayed); ../start.ts (what the address opens)
export { changeSettings, reset, retryOpen, setInputFormat, setSpeed } from './connection';
export { armCrash, corrupt, crash, recover, setCrashKind } from './crash';
export { downloadFiles, readDatabaseFile, setHighlightKey } from './files';
export { openSeparateDatabase, takeOver } from './handover';
export { leaveLesson, openLesson, setLessonDatabase, switchDatabase } from './lessons';
export { runOperation } from './operations';
export { get, scan } from './reads';
export { deleteManifest, repairDatabase } from './repair';
export { currentScenario, embedSnippet, exportScenario, importScenario, playScenario, scenarioLink } from './scenarios';
export { releaseSnapshot, takeSnapshot } from './snapshots';
export { refreshStats } from './stats';
export { abortTxn, beginTxn, commitTxn, txnGet } from './txns';
export {
  advanceClock,
  cancelWorkload,
  compact,
  flush,
  insertRandom,
  put,
  putOutside,
  remove,
  runWorkload,
  writeBatch,
} from './writes';
