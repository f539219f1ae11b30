/** `vitrine generate`: writes a synthetic fashion world (catalogue, members, events, latent truth) as JSONL. */
import { parseArgs } from 'node:util';
import { DEFAULT_START, resolveWorldOptions } from '../../sim/world/generate.ts';
import type { WorldProfile } from '../../sim/world/profiles.ts';
import { writeWorld } from '../../sim/world/write-world.ts';
import { exitOnError } from '../exit.ts';

export const GENERATE_HELP = `vitrine generate --users N --items M --days D --seed S --out DIR [--start ${DEFAULT_START}] [--profile rental|shop|media]

Writes a synthetic fashion-rental world, deterministic by seed (same flags → byte-identical files):
  DIR/items.jsonl, users.jsonl, events.jsonl (sorted by ts), latent/members.jsonl, latent/items.jsonl, world.json
  --users N     members (some join later, some cancel)
  --items M     catalogue items (some arrive later)
  --days D      days of history to simulate
  --seed S      integer seed, 0..4294967295
  --out DIR     output directory (created; its world files are replaced)
  --start DATE  first day, YYYY-MM-DD (default ${DEFAULT_START})
  --impressions N  items shown per visit, 1..20 (default 8; impressions are most of the events)
  --profile P   the business the world is told as (default rental):
                rental  fashion rental: sizes, rentals, returns with fit and rating, purchases
                shop    a plain shop: no sizes; purchases, views, clicks (no rentals or returns)
                media   ratings and long histories: no sizes; reviews with a rating (2-10), 3x the visits
Load it with: vitrine import world DIR`;

const REQUIRED = ['users', 'items', 'days', 'seed', 'out'] as const;

/** Runs `vitrine generate`; returns the exit code (0 done, 1 bad option values, 2 usage error). */
export async function runGenerate(argv: string[]): Promise<number> {
  return exitOnError(async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        users: { type: 'string' }, items: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' },
        out: { type: 'string' }, start: { type: 'string' }, impressions: { type: 'string' }, profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(GENERATE_HELP);
      return 0;
    }
    const missing = REQUIRED.filter((name) => values[name] === undefined);
    if (missing.length > 0) {
      console.error(`usage error: missing ${missing.map((m) => `--${m}`).join(', ')} (see vitrine generate --help)`);
      return 2;
    }
    const opts = {
      users: Number(values.users), items: Number(values.items), days: Number(values.days),
      seed: Number(values.seed), start: values.start,
      impressionsPerVisit: values.impressions === undefined ? undefined : Number(values.impressions),
      profile: values.profile as WorldProfile | undefined,
    };
    resolveWorldOptions(opts); // fail on bad values before creating the directory
    const out = values.out as string;
    const began = performance.now();
    const meta = await writeWorld(opts, out);
    const seconds = (performance.now() - began) / 1000;
    const { events, churned, byType } = meta.counts;
    const positives = `${byType.rent} rents, ${byType.purchase} purchases, ${byType.review} reviews`;
    console.log(
      `wrote ${meta.counts.items} items, ${meta.counts.users} members (${churned} cancelled), ${events} events ` +
        `(${positives}) over ${meta.args.days} days to ${out} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(events / seconds)} events/s)`,
    );
    return 0;
  });
}
