/**
 * `world`: a directory written by `vitrine generate` — items.jsonl, then users.jsonl, then events.jsonl
 * (each may be gzipped), so that events name items and members already catalogued. `latent/` and
 * `world.json` (the simulator's hidden truth) are not imported.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VitrineError } from '../../core/errors.ts';
import type { Store } from '../../storage/store.ts';
import { BadRowLog } from './bad-rows.ts';
import { importEventsJsonl } from './events-jsonl.ts';
import type { ImportOptions, ImportSummary } from './import-types.ts';
import { importItemsJsonl } from './items-jsonl.ts';
import { importUsersJsonl } from './users-jsonl.ts';

const PARTS = [
  { name: 'items.jsonl', run: importItemsJsonl },
  { name: 'users.jsonl', run: importUsersJsonl },
  { name: 'events.jsonl', run: importEventsJsonl },
] as const;

/** Imports a generated world directory; its files' bad rows are reported together, each with its file. */
export async function importWorld(store: Store, dir: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `${dir} is not a directory (expected the output of vitrine generate)`);
  }
  const started = performance.now();
  const present = PARTS.flatMap((p) => {
    const path = [join(dir, p.name), join(dir, `${p.name}.gz`)].find((f) => existsSync(f));
    return path ? [{ ...p, path }] : [];
  });
  if (present.length === 0) {
    throw new VitrineError('VITRINE_IMPORT_FILE_NOT_FOUND', `${dir} has none of ${PARTS.map((p) => p.name).join(', ')}`);
  }
  const bad = new BadRowLog();
  const total: ImportSummary = {
    format: 'world', source: dir, rows: 0, events: 0, duplicates: 0, members: 0, items: 0, skipped: 0,
    badRows: bad.report(), seconds: 0, notes: [],
  };
  for (const part of present) {
    const s = await part.run(store, part.path, opts);
    total.rows += s.rows;
    total.events += s.events;
    total.duplicates += s.duplicates;
    total.skipped += s.skipped;
    bad.merge(s.badRows);
    // members and items are what the catalogue and profile files defined, not what events named again
    if (part.name === 'items.jsonl') total.items = s.items;
    if (part.name === 'users.jsonl') total.members = s.members;
    if (part.name === 'events.jsonl') {
      total.items ||= s.items;
      total.members ||= s.members;
    }
  }
  const missing = PARTS.filter((p) => !present.some((q) => q.name === p.name)).map((p) => p.name);
  if (missing.length > 0) total.notes.push(`not in ${dir}: ${missing.join(', ')}`);
  return { ...total, badRows: bad.report(), seconds: (performance.now() - started) / 1000 };
}
