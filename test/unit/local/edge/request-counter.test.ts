/**
 * The edge's request counter: counts by X-Amz-Target, served at GET /_local/requests, whatever
 * the request's fate (answered by a service, forwarded, or refused as not emulated), and the
 * difference of two snapshots that the saga benchmark takes per order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countsBetween, startEdge, type RequestCounts } from '../../../../local/edge';
import { RequestCounter } from '../../../../local/edge/request-counter';

describe('RequestCounter', () => {
  it('counts each target and the total, sorted by target, since its creation', () => {
    const counter = new RequestCounter(() => new Date('2026-12-01T10:00:00.000Z'));
    expect(counter.snapshot()).toEqual({ since: '2026-12-01T10:00:00.000Z', total: 0, targets: {} });
    for (const t of ['DynamoDB_20120810.PutItem', 'AWSStepFunctions.StartExecution', 'DynamoDB_20120810.PutItem']) counter.count(t);
    expect(counter.snapshot()).toEqual({
      since: '2026-12-01T10:00:00.000Z',
      total: 3,
      targets: { 'AWSStepFunctions.StartExecution': 1, 'DynamoDB_20120810.PutItem': 2 },
    });
    expect(Object.keys(counter.snapshot().targets)).toEqual(['AWSStepFunctions.StartExecution', 'DynamoDB_20120810.PutItem']);
  });

  it('takes the difference of two snapshots, for one prefix, leaving out what did not move', () => {
    const before: RequestCounts = { since: 's', total: 5, targets: { 'DynamoDB_20120810.GetItem': 2, 'DynamoDB_20120810.PutItem': 3 } };
    const after: RequestCounts = {
      since: 's',
      total: 11,
      targets: { 'DynamoDB_20120810.GetItem': 2, 'DynamoDB_20120810.PutItem': 6, 'DynamoDB_20120810.Query': 1, 'AWSEvents.PutEvents': 2 },
    };
    expect(countsBetween(before, after, 'DynamoDB_20120810.')).toEqual({ PutItem: 3, Query: 1 });
    expect(countsBetween(before, after)).toEqual({ 'DynamoDB_20120810.PutItem': 3, 'DynamoDB_20120810.Query': 1, 'AWSEvents.PutEvents': 2 });
  });
});

describe('GET /_local/requests on the edge', () => {
  let upstream: http.Server;
  let edge: Awaited<ReturnType<typeof startEdge>>;

  beforeAll(async () => {
    // what the edge forwards DynamoDB requests to (DynamoDB Local in the local cloud)
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    edge = await startEdge({
      port: 0,
      services: [
        { name: 'dynamodb', targets: ['DynamoDB_20120810.'], forwardTo: upstreamUrl },
        {
          name: 'states',
          targets: ['AWSStepFunctions.'],
          route: async (req, res) => {
            if (req.headers['x-amz-target'] !== 'AWSStepFunctions.ListStateMachines') return false;
            res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
            res.end('{"stateMachines":[]}');
            return true;
          },
        },
      ],
    });
  });

  afterAll(async () => {
    await edge.close();
    await new Promise((ok) => upstream.close(ok));
  });

  const send = (target?: string) =>
    fetch(`${edge.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', ...(target ? { 'x-amz-target': target } : {}) }, body: '{}' });
  const counts = async () => (await (await fetch(`${edge.url}/_local/requests`)).json()) as RequestCounts;

  it('counts forwarded, answered and refused requests by target; requests without one are not counted', async () => {
    const before = await counts();
    expect(before.total).toBe(0);
    expect(Date.parse(before.since)).toBeLessThanOrEqual(Date.now());

    expect((await send('DynamoDB_20120810.PutItem')).status).toBe(200);
    expect((await send('DynamoDB_20120810.PutItem')).status).toBe(200);
    expect((await send('DynamoDB_20120810.Query')).status).toBe(200);
    expect((await send('AWSStepFunctions.ListStateMachines')).status).toBe(200);
    const refused = await send('Nope_20200101.DoIt');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect((await send()).status).toBe(400);

    const after = await counts();
    expect(after).toEqual({
      since: before.since,
      total: 5,
      targets: { 'AWSStepFunctions.ListStateMachines': 1, 'DynamoDB_20120810.PutItem': 2, 'DynamoDB_20120810.Query': 1, 'Nope_20200101.DoIt': 1 },
    });
    expect(countsBetween(before, after, 'DynamoDB_20120810.')).toEqual({ PutItem: 2, Query: 1 });
  });
});
