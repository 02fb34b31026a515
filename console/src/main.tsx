import { render } from 'preact';
import { createApi } from './api';
import { App } from './components/App';
import { startClock } from './lib/time';
import { createConsoleModel } from './models/console';
import { createTransport } from './transport';

/** Entry point of the console bundle: builds the model once and renders the app into #app. */
function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const model = createConsoleModel({ api: createApi(), transport: createTransport() });
  model.start();
  startClock();
  render(<App model={model} />, root);
}

boot();
