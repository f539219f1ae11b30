/** A tab list with the WAI-ARIA keyboard model: arrows, Home and End move and select; one tab stop. */
import { useRef } from 'preact/hooks';

export interface TabSpec { id: string; label: string }

export function Tabs({ tabs, selected, onSelect }: { tabs: TabSpec[]; selected: string; onSelect: (id: string) => void }) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const to = event.key === 'ArrowRight' ? (at + 1) % tabs.length
      : event.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
        : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : -1;
    if (to < 0) return;
    event.preventDefault();
    onSelect(tabs[to].id);
    list.current?.querySelector<HTMLElement>(`#tab-${tabs[to].id}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label="Console screens" ref={list} onKeyDown={move}>
      {tabs.map((t) => (
        <button type="button" role="tab" id={`tab-${t.id}`} key={t.id} aria-selected={t.id === selected}
          aria-controls={`panel-${t.id}`} tabIndex={t.id === selected ? 0 : -1} onClick={() => onSelect(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
