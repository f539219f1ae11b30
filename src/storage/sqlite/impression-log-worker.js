// The page log's thread (impression-log-writer.ts): its own connection to the file, one transaction
// per batch of page records, answered with the batch's id once committed (or with the error).
// Plain JavaScript so the worker needs no TypeScript loader. Messages arrive in order, so 'stop'
// comes after every batch posted before it.
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

// the thread's name in top -H and /proc (as core/thread-name.ts; this worker loads no TypeScript)
try { writeFileSync('/proc/thread-self/comm', 'page-log'); } catch { /* not Linux */ }

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
db.pragma(`synchronous = ${workerData.synchronous}`);
db.pragma(`wal_autocheckpoint = ${workerData.autocheckpointPages}`);
if (workerData.maxPageCount) db.pragma(`max_page_count = ${workerData.maxPageCount}`);

// the store's own statement (sqlite-store.ts), so both connections write a record alike
const insert = db.prepare(workerData.insertSql);
const deleteBefore = db.prepare(workerData.deleteSql);
const writeAll = db.transaction((records) => {
  for (const r of records) insert.run(...r);
});
// page terms numbered here for the serving thread (page-records.ts), which then never waits for the
// write lock; IMMEDIATE, since it reads what it wrote
const addTerm = db.prepare(workerData.addTermSql);
const termIx = db.prepare(workerData.termIxSql).pluck();
const numberAll = db.transaction((terms) => terms.map((term) => {
  addTerm.run(term);
  return termIx.get(term);
}));
// the page log's share of the size cap (page-log-cap.ts PAGE_LOG_SHARE): past it a batch is refused, not written
const usedPages = workerData.pageLogMaxPages ? db.prepare(workerData.usedPagesSql).pluck() : undefined;
function assertRoom() {
  if (!usedPages) return;
  const used = usedPages.get();
  if (used >= workerData.pageLogMaxPages) {
    throw Object.assign(new Error(`page records are not logged past their share of store.maxSizeBytes (${used} of ${workerData.pageLogMaxPages} pages used)`), { code: 'SQLITE_FULL' });
  }
}

parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (message.terms !== undefined) {
      parentPort.postMessage({ id: message.id, ixs: numberAll.immediate(message.terms) });
      return;
    }
    if (message.deleteBefore !== undefined) {
      // the retention's pass (page-record-retention.ts): a bounded delete between two batches
      parentPort.postMessage({ id: message.id, deleted: deleteBefore.run(message.deleteBefore, message.limit).changes });
      return;
    }
    assertRoom();
    writeAll(message.records);
    parentPort.postMessage({ id: message.id });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { code: err?.code, message: String(err?.message ?? err) } });
  }
});
