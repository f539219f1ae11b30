/** Picking a member (the server's search by id prefix) and onboarding a new one. */
import { useEffect, useState } from 'preact/hooks';
import type { MemberProfile, UserInput } from '../../client/index.ts';
import { type Connection, describeError } from './session.ts';

const ID_CHARACTERS = /^[A-Za-z0-9._:@-]*$/;
const SHOWN = 30;
const words = (text: string) => text.split(',').map((w) => w.trim()).filter(Boolean);

export function MemberPicker({ conn, selected, onPick }: { conn: Connection; selected?: string; onPick: (id: string) => void }) {
  const [query, setQuery] = useState('');
  const [members, setMembers] = useState<MemberProfile[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    // no id has other characters: nothing to ask
    if (!ID_CHARACTERS.test(query)) return setMembers([]);
    conn.client.users.list({ ...(query ? { prefix: query } : {}), limit: SHOWN })
      .then((page) => { setMembers(page.users); setError(''); })
      .catch((err) => setError(describeError(err)));
  }, [query, selected]);
  return (
    <div class="member-picker">
      <label>Search members <input type="search" value={query} placeholder="member id…" onInput={(e) => setQuery(e.currentTarget.value)} /></label>
      {error && <p role="alert" class="error">{error}</p>}
      <ul class="member-list">
        {members.map((m) => (
          <li key={m.id}><button type="button" aria-pressed={m.id === selected} onClick={() => onPick(m.id)}>{m.id}</button></li>
        ))}
        {members.length === 0 && <li class="hint">no member matches</li>}
      </ul>
    </div>
  );
}

export function Onboarding({ conn, onCreated }: { conn: Connection; onCreated: (id: string) => void }) {
  const [form, setForm] = useState({ id: '', sizes: '', styles: '', occasions: '', event: '', date: '' });
  const [error, setError] = useState('');
  const field = (name: keyof typeof form) => ({
    value: form[name], onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [name]: e.currentTarget.value }),
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    const profile: UserInput = {
      sizes: words(form.sizes),
      preferences: { styles: words(form.styles), occasions: words(form.occasions) },
      ...(form.event && form.date ? { upcoming: [{ occasion: form.event.trim(), date: Date.parse(form.date) }] } : {}),
    };
    try {
      await conn.client.users.put(form.id.trim(), profile);
      setError('');
      onCreated(form.id.trim());
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form class="onboarding" onSubmit={submit} aria-labelledby="onboard-h">
      <h3 id="onboard-h">New member</h3>
      <label>Member id <input required pattern="[A-Za-z0-9._:@\-]{1,128}" {...field('id')} /></label>
      <label>Sizes <input placeholder="8, 10" {...field('sizes')} /></label>
      <label>Styles <input placeholder="evening, minimalist" {...field('styles')} /></label>
      <label>Occasions <input placeholder="wedding, gala" {...field('occasions')} /></label>
      <fieldset>
        <legend>Upcoming event</legend>
        <label>Occasion <input {...field('event')} /></label>
        <label>Date <input type="date" {...field('date')} /></label>
      </fieldset>
      <button type="submit">Create member</button>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
