/**
 * Experiments: create (the server refuses a variant naming a model or template that does not exist),
 * start, stop; the report as charts of rates with 95% intervals and a table of lifts.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Experiment, ExperimentPut, ExperimentReport } from '../../client/index.ts';
import { LiftTable, RateChart } from './rate-chart.tsx';
import { type Connection, describeError } from './session.ts';

interface VariantDraft { name: string; weight: string; model: string; template: string; rowOrder: string }

const blank = (name: string): VariantDraft => ({ name, weight: '1', model: '', template: '', rowOrder: '' });

function toBody(variants: VariantDraft[], status: ExperimentPut['status']): ExperimentPut {
  return {
    status,
    variants: variants.map((v) => ({
      name: v.name.trim(), weight: Number(v.weight),
      config: {
        ...(v.model.trim() ? { model: v.model.trim() } : {}), ...(v.template.trim() ? { template: v.template.trim() } : {}),
        ...(v.rowOrder === 'fixed' || v.rowOrder === 'bandit' ? { rowOrder: v.rowOrder } : {}),
      },
    })),
  };
}

const again = (e: Experiment, status: ExperimentPut['status']): ExperimentPut =>
  ({ status, variants: e.variants.map(({ name, weight, config }) => ({ name, weight, config: config as NonNullable<ExperimentPut['variants'][number]['config']> })) });

export function Experiments({ conn }: { conn: Connection }) {
  const [list, setList] = useState<Experiment[]>([]);
  const [message, setMessage] = useState('');
  const [report, setReport] = useState<ExperimentReport>();
  const reload = () => conn.client.experiments.list().then(setList).catch((err) => setMessage(describeError(err)));
  useEffect(() => { void reload(); }, []);

  const run = async (label: string, work: () => Promise<unknown>) => {
    try { await work(); setMessage(label); } catch (err) { setMessage(describeError(err)); }
    await reload();
  };
  const showReport = (id: string) => run(`report of ${id}`, async () => setReport(await conn.client.experiments.report(id)));

  return (
    <div class="experiments">
      <h2>Experiments</h2>
      <p role="status" class="status">{message}</p>
      <CreateForm conn={conn} onCreated={(id) => { void reload(); void showReport(id); }} />
      <section aria-labelledby="exp-list-h" class="card">
        <h3 id="exp-list-h">All experiments</h3>
        <ul class="experiment-list">
          {list.map((e) => (
            <li key={e.id} data-experiment={e.id}>
              <b>{e.id}</b> — {e.status} — {e.variants.map((v) => `${v.name} (${v.weight})`).join(', ')}{' '}
              {e.status !== 'running' && <button type="button" onClick={() => run(`started ${e.id}`, () => conn.client.experiments.put(e.id, again(e, 'running')))}>Start {e.id}</button>}{' '}
              {e.status === 'running' && <button type="button" onClick={() => run(`stopped ${e.id}`, () => conn.client.experiments.put(e.id, again(e, 'stopped')))}>Stop {e.id}</button>}{' '}
              <button type="button" onClick={() => showReport(e.id)}>Report of {e.id}</button>
              <button type="button" onClick={() => run(`deleted ${e.id}`, async () => { await conn.client.experiments.delete(e.id); if (report?.experimentId === e.id) setReport(undefined); })}>Delete {e.id}</button>
            </li>
          ))}
          {list.length === 0 && <li class="hint">none yet</li>}
        </ul>
      </section>
      {report && (
        <section aria-labelledby="report-h" class="card report" data-testid="report">
          <h3 id="report-h">Report: {report.experimentId} ({report.status})</h3>
          <div class="charts">
            <RateChart variants={report.variants} rate="ctr" />
            <RateChart variants={report.variants} rate="rentRate" />
            <RateChart variants={report.variants} rate="conversion" />
          </div>
          <LiftTable report={report} />
        </section>
      )}
    </div>
  );
}

function CreateForm({ conn, onCreated }: { conn: Connection; onCreated: (id: string) => void }) {
  const [id, setId] = useState('');
  const [variants, setVariants] = useState<VariantDraft[]>([blank('control'), blank('treatment')]);
  const [error, setError] = useState('');
  const setVariant = (k: number, patch: Partial<VariantDraft>) => setVariants(variants.map((v, i) => (i === k ? { ...v, ...patch } : v)));
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const saved = await conn.client.experiments.put(id.trim(), toBody(variants, 'draft'));
      setError(saved.warnings?.length ? `saved with warnings: ${saved.warnings.join('; ')}` : '');
      onCreated(saved.id);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="exp-new-h">
      <h3 id="exp-new-h">New experiment</h3>
      <label>Experiment id <input required value={id} onInput={(e) => setId(e.currentTarget.value)} /></label>
      {variants.map((v, k) => (
        <fieldset key={k} class="variant">
          <legend>Variant {k + 1}</legend>
          <label>Name <input required value={v.name} onInput={(e) => setVariant(k, { name: e.currentTarget.value })} /></label>
          <label>Weight <input type="number" min="0" step="any" required value={v.weight} onInput={(e) => setVariant(k, { weight: e.currentTarget.value })} /></label>
          <label>Model <input value={v.model} placeholder="algorithm or version" onInput={(e) => setVariant(k, { model: e.currentTarget.value })} /></label>
          <label>Template <input value={v.template} placeholder="home" onInput={(e) => setVariant(k, { template: e.currentTarget.value })} /></label>
          <label>Row order <select value={v.rowOrder} onChange={(e) => setVariant(k, { rowOrder: e.currentTarget.value })}>
            <option value="">the template's</option><option value="bandit">learned</option><option value="fixed">fixed</option>
          </select></label>
          {variants.length > 1 && <button type="button" onClick={() => setVariants(variants.filter((_, i) => i !== k))}>Remove variant {k + 1}</button>}
        </fieldset>
      ))}
      <button type="button" onClick={() => setVariants([...variants, blank(`variant-${variants.length + 1}`)])}>Add a variant</button>{' '}
      <button type="submit">Create experiment</button>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
