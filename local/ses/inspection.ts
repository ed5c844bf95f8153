/**
 * LocalStack's inspection endpoint for SES, in its shape, so tools written for LocalStack work:
 *   GET /_aws/ses[?id=...][&email=...]  => 200 {"messages": [ ... ]}  (email filters on Source)
 *   DELETE /_aws/ses[?id=...]           => 204, one message or all
 * Messages are listed in the order they were sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SesStore } from './store';

export const INSPECTION_PATH = '/_aws/ses';

export function handleInspection(store: SesStore, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method === 'GET') {
    const id = url.searchParams.get('id');
    const email = url.searchParams.get('email');
    const messages = [...store.sent.values()].filter((m) => (!id || m.Id === id) && (!email || m.Source === email));
    const body = Buffer.from(JSON.stringify({ messages }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
    return;
  }
  if (req.method === 'DELETE') {
    const id = url.searchParams.get('id');
    store.clearSent(id ?? undefined);
    res.writeHead(204).end();
    return;
  }
  res.writeHead(405, { 'content-type': 'application/json', allow: 'GET, DELETE' });
  res.end(JSON.stringify({ error: `method ${req.method} is not allowed on ${INSPECTION_PATH}` }));
}
