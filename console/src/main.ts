/**
 * The local console: pages by hash (`#/orders/ord_…`), each rendered from the local cloud's APIs
 * when opened. Plain TypeScript and DOM: a handful of read-mostly pages need no framework, and the
 * bundle stays a few tens of KB.
 */
import { h } from './dom';
import { apiPage } from './pages/api';
import { events } from './pages/events';
import { failures } from './pages/failures';
import { messages } from './pages/messages';
import { order } from './pages/order';
import { orders } from './pages/orders';
import { overview } from './pages/overview';
import { traces } from './pages/traces';

const PAGES: Array<[string, string]> = [
  ['', 'Overview'],
  ['orders', 'Orders'],
  ['traces', 'Traces'],
  ['events', 'Events'],
  ['messages', 'Messages'],
  ['failures', 'Failures'],
  ['api', 'API'],
];

function render(): void {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?') as [string, string | undefined];
  const params = new URLSearchParams(query ?? '');
  const [page, id] = path.split('/');
  const root = document.getElementById('app')!;
  root.replaceChildren();
  document.getElementById('nav')!.replaceChildren(...PAGES.map(([p, label]) => h('a', { href: `#/${p}`, class: p === (page ?? '') ? 'on' : null }, label)));
  const started = performance.now();
  switch (page) {
    case 'orders':
      if (id) order(root, decodeURIComponent(id));
      else orders(root, params);
      break;
    case 'traces':
      traces(root, params);
      break;
    case 'events':
      events(root, params);
      break;
    case 'messages':
      messages(root, params);
      break;
    case 'failures':
      failures(root, params);
      break;
    case 'api':
      void apiPage(root);
      break;
    default:
      overview(root);
  }
  document.getElementById('status')!.textContent = `rendered in ${Math.round(performance.now() - started)} ms`;
}

window.addEventListener('hashchange', render);
render();
