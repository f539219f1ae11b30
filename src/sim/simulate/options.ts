/** The simulation's options, their defaults and their limits (VITRINE_SIM_BAD_OPTIONS naming the bad one). */
import { VitrineError } from '../../core/errors.ts';
import type { VariantSpec } from './variants.ts';

export interface SimulationOptions {
  members: number;
  days: number;
  variants: VariantSpec[];
  seed: number;
  /** catalogue size; default 5% of members (1,000 for 20,000; Rent the Runway has 5,850 styles for 105,508 members), at least 200 */
  items?: number;
  /** days of generated history before day 0 (what the models train on); default 30 */
  warmupDays?: number;
  /** the engine's default home page, or a page of the for-you row only; default 'default' */
  page?: 'default' | 'for-you';
  /** rows per page and items per row asked for; default 8 × 12 */
  rows?: number;
  rowSize?: number;
  /** the directory temporary stores and models go in; default the OS temp dir */
  dataDir?: string;
  /** threads the variants run on (one app each); 0 runs them one after another in this thread */
  workers?: number;
}

export type ResolvedSimulationOptions = Required<Omit<SimulationOptions, 'dataDir' | 'workers'>> & { dataDir?: string };

const LIMITS = { members: [10, 1_000_000], days: [1, 365], items: [20, 100_000], warmupDays: [1, 365], rows: [1, 20], rowSize: [1, 100] } as const;

/** Checks and completes options. */
export function resolveSimulationOptions(o: SimulationOptions): ResolvedSimulationOptions {
  const r: ResolvedSimulationOptions = {
    members: o.members, days: o.days, variants: o.variants, seed: o.seed,
    items: o.items ?? Math.max(200, Math.round(o.members * 0.05)), warmupDays: o.warmupDays ?? 30,
    page: o.page ?? 'default', rows: o.rows ?? 8, rowSize: o.rowSize ?? 12, ...(o.dataDir ? { dataDir: o.dataDir } : {}),
  };
  for (const [name, [lo, hi]] of Object.entries(LIMITS)) {
    const value = r[name as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < lo || value > hi) {
      throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `${name} must be an integer from ${lo} to ${hi}, got ${value}`);
    }
  }
  if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed > 0xffffffff) {
    throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `seed must be an integer from 0 to ${0xffffffff}, got ${r.seed}`);
  }
  if (r.page !== 'default' && r.page !== 'for-you') {
    throw new VitrineError('VITRINE_SIM_BAD_OPTIONS', `page must be default or for-you, got ${String(r.page)}`);
  }
  return r;
}
