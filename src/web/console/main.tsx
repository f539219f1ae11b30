/** The /admin console's entry: bundled by esbuild on the server's first request (ADR 0023). */
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
