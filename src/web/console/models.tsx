/**
 * Models: versions with status, data range and gate metrics against the champion and popularity; which
 * version serves each row kind (as the server says); train (parameters checked by the server before any
 * job starts), activate, roll back; the latest offline evaluation.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ModelRecord, ModelsOverview, RowKindModel, TrainingJob } from '../../client/index.ts';
import { Evaluation } from './evaluation.tsx';
import { type Connection, describeError } from './session.ts';

// the registered algorithms (src/ml/registry.ts); the server refuses any other name
const ALGORITHMS = ['popularity', 'popularity-recent', 'conversion', 'item-knn', 'ease', 'als', 'content', 'style-clusters', 'hybrid', 'fit'];
const date = (ms?: number) => (ms === undefined ? '—' : new Date(ms).toISOString().slice(0, 10));
const num = (v: number | undefined) => (v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4));

/** The params field as an object of objects, or an error message (checked again by the server). */
export function parseParams(text: string): Record<string, Record<string, unknown>> | string {
  if (!text.trim()) return {};
  let value: unknown;
  try { value = JSON.parse(text); } catch { return 'parameters are not JSON'; }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'parameters: an object of {algorithm: {name: value}}';
  for (const [algorithm, params] of Object.entries(value)) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return `parameters of ${algorithm}: an object`;
  }
  return value as Record<string, Record<string, unknown>>;
}

export function Models({ conn }: { conn: Connection }) {
  const [overview, setOverview] = useState<ModelsOverview>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const reload = () => conn.client.models.list().then(setOverview).catch((err) => setMessage(describeError(err)));
  useEffect(() => { void reload(); }, []);

  const run = async (label: string, work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      setMessage(label);
    } catch (err) {
      setMessage(describeError(err));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const champion = overview?.champion;
  const gateMetrics = champion ? Object.keys(champion.scores) : [];

  return (
    <div class="models">
      <h2>Models</h2>
      <p role="status" class="status" data-testid="models-status">{message}</p>
      {overview && (
        <section aria-labelledby="serving-h" class="card">
          <h3 id="serving-h">Serving</h3>
          <p>for-you is filled by <b>{overview.primaryAlgorithm}</b> version <b data-testid="for-you-version">{overview.serving[overview.primaryAlgorithm]?.current ?? 'none loaded'}</b>
            {champion ? <> (champion of the last gated run: {champion.algorithm} {champion.version ?? ''})</> : null}.
            {overview.training && <> Training job <b>{overview.training}</b> is running.</>}</p>
          <table>
            <caption>Versions loaded for serving, by algorithm</caption>
            <thead><tr><th scope="col">algorithm</th><th scope="col">current</th><th scope="col">previous</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
            <tbody>
              {Object.entries(overview.serving).map(([algorithm, s]) => (
                <tr key={algorithm} data-algorithm={algorithm}>
                  <th scope="row">{algorithm}</th><td>{s.current ?? '—'}</td><td>{s.previous ?? '—'}</td>
                  <td>{s.previous && <button type="button" disabled={busy} aria-label={`Roll back ${algorithm}`}
                    onClick={() => run(`rolled back ${algorithm}`, () => conn.client.models.rollback(algorithm))}>Roll back</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <RowKinds rows={overview.rowKinds} />
          {gateMetrics.length > 0 && champion && <GateTable scores={champion.scores} />}
        </section>
      )}
      <TrainForm conn={conn} busy={busy || Boolean(overview?.training)} onDone={(label) => { setMessage(label); void reload(); }} />
      {overview && <Versions models={overview.models} busy={busy} onActivate={(v) => run(`activated ${v}`, () => conn.client.models.activate(v))} />}
      <Evaluation conn={conn} />
    </div>
  );
}

/** Which version serves each row kind: the first loaded of the algorithms the row asks (from the server). */
function RowKinds({ rows }: { rows: RowKindModel[] }) {
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Row kinds and their models (scrolls sideways)">
      <table data-testid="row-kinds">
        <caption>Which version serves each row kind (default variant)</caption>
        <thead><tr><th scope="col">row kind</th><th scope="col">version</th><th scope="col">asks, in order</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.kind} data-kind={r.kind}>
              <th scope="row">{r.kind}</th>
              <td>{r.version ?? (r.asks.length ? 'none loaded' : 'no model')}</td>
              <td>{r.asks.join(' → ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GateTable({ scores }: { scores: Record<string, Record<string, number>> }) {
  const algorithms = [...new Set(Object.values(scores).flatMap((byAlgorithm) => Object.keys(byAlgorithm)))];
  return (
    <table>
      <caption>The validation gate's scores of the last run (champion against popularity and the others)</caption>
      <thead><tr><th scope="col">metric</th>{algorithms.map((a) => <th scope="col" key={a}>{a}</th>)}</tr></thead>
      <tbody>
        {Object.entries(scores).map(([metric, byAlgorithm]) => (
          <tr key={metric}><th scope="row">{metric}</th>{algorithms.map((a) => <td key={a}>{num(byAlgorithm[a])}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

function Versions({ models, busy, onActivate }: { models: ModelRecord[]; busy: boolean; onActivate: (version: string) => void }) {
  return (
    <section aria-labelledby="versions-h" class="card">
      <h3 id="versions-h">Versions</h3>
      <div class="scroll" tabIndex={0} role="region" aria-label="Model versions (scrolls sideways)">
        <table data-testid="versions">
          <thead><tr><th scope="col">version</th><th scope="col">algorithm</th><th scope="col">status</th><th scope="col">data</th><th scope="col">gate metrics</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.version} data-version={m.version} data-status={m.status}>
                <th scope="row">{m.version}</th><td>{m.algorithm}</td><td>{m.status}</td>
                <td>{date(m.dataFrom)} – {date(m.dataTo)}</td>
                <td>{Object.entries(m.metrics).map(([k, v]) => `${k} ${num(v)}`).join(', ')}{m.note ? ` — ${m.note}` : ''}</td>
                <td>{m.status !== 'active' && m.status !== 'training' && m.status !== 'failed' && (
                  <button type="button" disabled={busy} aria-label={`Activate ${m.version}`} onClick={() => onActivate(m.version)}>Activate</button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TrainForm({ conn, busy, onDone }: { conn: Connection; busy: boolean; onDone: (label: string) => void }) {
  const [picked, setPicked] = useState<string[]>(['popularity']);
  const [params, setParams] = useState('');
  const [error, setError] = useState('');
  const [job, setJob] = useState<TrainingJob>();

  const start = async (e: Event) => {
    e.preventDefault();
    const parsed = parseParams(params);
    if (typeof parsed === 'string') return setError(parsed);
    try {
      setError('');
      let current = await conn.client.models.train({ algorithms: picked, ...(Object.keys(parsed).length ? { params: parsed } : {}) });
      setJob(current);
      while (current.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 400));
        current = await conn.client.models.job(current.jobId);
        setJob(current);
      }
      onDone(`training ${current.jobId} ${current.status}${current.error ? `: ${current.error.message}` : ''}`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form class="card" onSubmit={start} aria-labelledby="train-h">
      <h3 id="train-h">Train</h3>
      <fieldset>
        <legend>Algorithms</legend>
        <div class="checks">
          {ALGORITHMS.map((a) => (
            <label class="check" key={a}><input type="checkbox" checked={picked.includes(a)}
              onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, a] : picked.filter((x) => x !== a))} /> {a}</label>
          ))}
        </div>
      </fieldset>
      <label>Parameters (JSON, per algorithm) <textarea rows={3} value={params} placeholder='{"als": {"factors": 32}}' onInput={(e) => setParams(e.currentTarget.value)} /></label>
      <button type="submit" disabled={busy || picked.length === 0 || job?.status === 'running'}>Start training</button>
      {error && <p role="alert" class="error">{error}</p>}
      {job && (
        <p data-testid="job" data-status={job.status}>Job {job.jobId}: {job.status}
          {job.progress && job.status === 'running' ? ` — ${job.progress.algorithm} ${Math.round(job.progress.fraction * 100)}% ${job.progress.label}` : ''}
          {job.models.length ? ` — ${job.models.map((m) => `${m.version} ${m.status}`).join(', ')}` : ''}</p>
      )}
    </form>
  );
}
