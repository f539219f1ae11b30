/** The latest offline evaluation kept in the server's data dir (`vitrine evaluate --data DIR`). */
import { useEffect, useState } from 'preact/hooks';
import type { StoredEvaluation } from '../../client/index.ts';
import { type Connection, describeError } from './session.ts';

const METRICS: Array<[string, string]> = [['ndcg', 'NDCG'], ['recall', 'Recall'], ['precision', 'Precision'], ['hitRate', 'HR'], ['map', 'MAP'], ['coverage', 'coverage']];

/** A metric cell: 4 decimals, or a dash when the report has no such number. */
export const metricText = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '—');

/** One line saying what was evaluated, on what, and when. */
export function describeEvaluation(e: StoredEvaluation): string {
  const r = e.report;
  const on = [r.dataset, r.source && r.source !== r.dataset ? `(${r.source})` : ''].filter(Boolean).join(' ');
  const protocol = `${r.protocol ?? 'unknown protocol'}${r.cutoff ? ` from ${r.cutoff}` : ''}`;
  const counts = r.users !== undefined ? `, ${r.users} members evaluated over ${r.items ?? '?'} items` : '';
  return `${protocol}, K = ${r.k ?? '?'}, on ${on || 'unknown data'}${counts}; written ${new Date(e.writtenAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function Evaluation({ conn }: { conn: Connection }) {
  const [evaluation, setEvaluation] = useState<StoredEvaluation | null>();
  const [error, setError] = useState('');
  useEffect(() => {
    conn.client.models.evaluation().then((e) => { setEvaluation(e); setError(''); }).catch((err) => setError(describeError(err)));
  }, []);
  const k = evaluation?.report.k;
  return (
    <section aria-labelledby="evaluation-h" class="card" data-testid="evaluation">
      <h3 id="evaluation-h">Latest offline evaluation</h3>
      {error && <p role="alert" class="error">{error}</p>}
      {evaluation === null && <p class="hint">None kept: run <code>vitrine evaluate --data DIR --protocol …</code> on this server's data dir.</p>}
      {evaluation && (
        <>
          <p>{describeEvaluation(evaluation)}</p>
          <div class="scroll" tabIndex={0} role="region" aria-label="Evaluation results (scrolls sideways)">
            <table>
              <caption>Offline metrics per algorithm{k ? ` at K = ${k}` : ''}</caption>
              <thead><tr><th scope="col">algorithm</th>{METRICS.map(([, label]) => <th scope="col" key={label}>{label}</th>)}</tr></thead>
              <tbody>
                {Object.entries(evaluation.report.results).map(([algorithm, m]) => (
                  <tr key={algorithm} data-algorithm={algorithm}>
                    <th scope="row">{algorithm}</th>{METRICS.map(([key]) => <td key={key}>{metricText(m[key])}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint"><code>{evaluation.command}</code></p>
          {evaluation.citation && <p class="citation">{evaluation.citation}</p>}
        </>
      )}
    </section>
  );
}
