// What the buttons do. Actions live outside React (zustand style): components import them from here and call them
// like any function. One file per concern; the state they share is the store's (drawn) or the session's (not).
//   connection.ts  opening the engine, its events, settings, reset   crash.ts      crash, corrupt, recover
//   writes.ts      put, delete, flush, compact, workloads            reads.ts      get and scan
//   handover.ts    one writer per database: tabs hand it over        files.ts      file bytes, the download
//   scenarios.ts   recording and replaying what the session did      stats.ts      the amplification figures
//   session.ts     the client and the durability oracle              say.ts        the message line
export { changeSettings, reset, retryOpen, setInputFormat, setSpeed } from './connection';
export { armCrash, corrupt, crash, recover, setCrashKind } from './crash';
export { downloadFiles, readDatabaseFile, setHighlightKey } from './files';
export { openSeparateDatabase, takeOver } from './handover';
export { leaveLesson, openLesson, setLessonDatabase, switchDatabase } from './lessons';
export { get, scan } from './reads';
export { deleteManifest, repairDatabase } from './repair';
export {
  currentScenario,
  embedSnippet,
  exportScenario,
  importScenario,
  playScenario,
  runOperation,
  scenarioLink,
  startFromLocation,
} from './scenarios';
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
