import dgram from 'node:dgram';
import { daemonAddress, linkTo, parseTraceHeader, startPublishSpans } from '../../../../../lambdas/shared/events/trace';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

describe('event trace propagation', () => {
  it('reads trace headers and the daemon address in both of its forms', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`)).toEqual({ root: ROOT, parent: '53995c3f42cd8ad8', sampled: true });
    expect(parseTraceHeader(`Root=${ROOT};Sampled=0`)).toEqual({ root: ROOT, parent: undefined, sampled: false });
    expect(parseTraceHeader('Root=nope')).toBeUndefined();
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(daemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
  });

  it('links an event to its trace only when the invocation runs in another', () => {
    const ev = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;
    expect(linkTo(ev, `Root=${ROOT};Parent=1111111111111111;Sampled=1`)).toBeUndefined();
    expect(linkTo(ev, 'Root=1-00000001-000000000000000000000001;Parent=1111111111111111;Sampled=1')).toEqual({ trace_id: ROOT, id: '53995c3f42cd8ad8' });
    expect(linkTo(undefined, undefined)).toBeUndefined();
  });

  it('records a publish subsegment in the event trace and sends the record under it', async () => {
    const daemon = dgram.createSocket('udp4');
    const got: string[] = [];
    daemon.on('message', (m) => got.push(m.toString('utf8')));
    await new Promise<void>((ok) => daemon.bind(0, '127.0.0.1', ok));
    const before = process.env.AWS_XRAY_DAEMON_ADDRESS;
    process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${daemon.address().port}`;
    try {
      let t = 1_700_000_000_000;
      const spans = startPublishSpans(
        [
          { topic: 'order-events', header: `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, key: 'o-1' },
          { topic: 'order-events', header: `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0` },
          { topic: 'order-events', header: undefined },
        ],
        () => t,
      );
      expect(spans.headers[0]).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
      expect(spans.headers.slice(1)).toEqual([`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`, undefined]);
      t += 25;
      spans.end();
      const deadline = Date.now() + 5000;
      while (!got.length && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      const [head, body] = got[0]!.split('\n');
      expect(head).toBe('{"format":"json","version":1}');
      expect(JSON.parse(body!)).toEqual({
        name: 'order-events',
        id: /Parent=([0-9a-f]{16})/.exec(spans.headers[0]!)![1],
        trace_id: ROOT,
        parent_id: '53995c3f42cd8ad8',
        type: 'subsegment',
        namespace: 'remote',
        start_time: 1_700_000_000,
        end_time: 1_700_000_000.025,
        aws: { operation: 'Produce', topic: 'order-events', key: 'o-1' },
      });
      expect(got).toHaveLength(1);
    } finally {
      process.env.AWS_XRAY_DAEMON_ADDRESS = before;
      daemon.close();
    }
  });
});
