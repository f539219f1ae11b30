/** A member's actions, newest first, filtered by type; impressions hidden unless asked for. */
import { useEffect, useState } from 'preact/hooks';
import type { EventType, MemberEvent } from '../../client/index.ts';
import { type Connection, describeError } from './session.ts';

const TYPES: EventType[] = ['view', 'click', 'heart', 'unheart', 'shortlist', 'rent', 'return', 'purchase', 'review', 'dismiss', 'impression'];
const ACTIONS = TYPES.filter((t) => t !== 'impression');

export function History({ conn, userId, version }: { conn: Connection; userId: string; version: number }) {
  const [filter, setFilter] = useState<string>('actions');
  const [events, setEvents] = useState<MemberEvent[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    // asking for the types keeps impressions from crowding the member's actions out of the window
    const types = filter === 'actions' ? ACTIONS : [filter as EventType];
    conn.client.users.events(userId, { limit: 50, types })
      .then((list) => { setEvents(list); setError(''); })
      .catch((err) => setError(describeError(err)));
  }, [userId, filter, version]);
  return (
    <section class="history" aria-labelledby="history-h">
      <h3 id="history-h">History</h3>
      <label>Show <select value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
        <option value="actions">every action (no impressions)</option>
        {TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
      </select></label>
      {error && <p role="alert" class="error">{error}</p>}
      <ol class="events" data-testid="history">
        {events.map((e) => (
          <li key={e.id}><time dateTime={new Date(e.ts).toISOString()}>{new Date(e.ts).toLocaleString()}</time>{' '}
            <b>{e.type}</b> {e.itemId ?? ''}{e.size ? ` (size ${e.size})` : ''}{e.fit ? `, fit ${e.fit}` : ''}</li>
        ))}
        {events.length === 0 && <li class="hint">nothing yet</li>}
      </ol>
    </section>
  );
}
