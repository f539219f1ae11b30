/** Merchandising: stylists' carousels and page templates (admin scope). */
import { Carousels } from './carousels.tsx';
import type { Connection } from './session.ts';
import { Templates } from './templates.tsx';

export function Merchandising({ conn }: { conn: Connection }) {
  return (
    <div class="merchandising">
      <Carousels conn={conn} />
      <Templates conn={conn} />
    </div>
  );
}
