/**
 * lambdas/shared/xray-context.ts, the cls-hooked context the functions' bundles give the X-Ray
 * SDK: its own contract (contexts inherit, a run's context follows its async work, enter outside a
 * run sets the base), and the real aws-xray-sdk-core in Lambda mode on top of it, as the bundles
 * load it, nesting subsegments across awaits and concurrent calls and sending them over UDP.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createNamespace, getNamespace, Namespace } from '../../../../lambdas/shared/xray-context';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('the AsyncLocalStorage namespace', () => {
  it('keeps a run context through its awaits, apart from a concurrent run', async () => {
    const ns = new Namespace('t1');
    const seen: unknown[] = [];
    const work = (name: string) =>
      ns.runAndReturn(async () => {
        ns.set('segment', name);
        await tick();
        await Promise.resolve();
        seen.push([name, ns.get('segment')]);
      });
    await Promise.all([work('a'), work('b')]);
    expect(seen.sort()).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(ns.get('segment')).toBeUndefined();
  });

  it('makes a context entered outside any run the base every later call starts from, and child contexts inherit from it', async () => {
    const ns = new Namespace('t2');
    expect(() => ns.set('segment', 'x')).toThrow('No context available');
    ns.enter(ns.createContext());
    ns.set('segment', 'facade');
    await tick();
    expect(ns.get('segment')).toBe('facade');
    const inner = ns.run(() => {
      expect(ns.get('segment')).toBe('facade');
      ns.set('segment', 'child');
      expect(ns.get('segment')).toBe('child');
    });
    expect(inner.segment).toBe('child');
    expect(ns.get('segment')).toBe('facade');
  });

  it('binds a function to the context current when bound (or a given one), and marks errors with it', () => {
    const ns = new Namespace('t3');
    const bound = ns.runAndReturn(() => {
      ns.set('segment', 'at bind');
      return ns.bind(() => ns.get('segment'));
    });
    expect(bound()).toBe('at bind');
    const given = ns.createContext();
    given.segment = 'given';
    expect(ns.bind(() => ns.get('segment'), given)()).toBe('given');
    let thrown: unknown;
    try {
      ns.run(() => {
        throw new Error('boom');
      });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Record<string, unknown>)['error@context']).toBeDefined();
  });

  it('enter inside a run replaces its context until exit', () => {
    const ns = new Namespace('t4');
    ns.run(() => {
      ns.set('segment', 'outer');
      const other = ns.createContext();
      ns.enter(other);
      ns.set('segment', 'entered');
      expect(ns.get('segment')).toBe('entered');
      ns.exit(other);
      expect(ns.get('segment')).toBe('outer');
    });
  });

  it('registers namespaces by name, as cls-hooked does', () => {
    const ns = createNamespace('registered');
    expect(getNamespace('registered')).toBe(ns);
    expect(getNamespace('never')).toBeUndefined();
  });
});

describe('aws-xray-sdk-core in Lambda mode on this context', () => {
  let socket: dgram.Socket;
  const received: Array<Record<string, unknown>> = [];
  const ROOT = '1-6b0f507c-0123456789abcdef01234567';
  const FUNCTION_SEGMENT = 'fa11fa11fa11fa11';

  beforeAll(async () => {
    socket = dgram.createSocket('udp4');
    socket.on('message', (msg) => {
      const [, body] = msg.toString('utf8').split('\n');
      received.push(JSON.parse(body!) as Record<string, unknown>);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    process.env.LAMBDA_TASK_ROOT = '/var/task';
    process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${(socket.address() as AddressInfo).port}`;
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`;
    process.env.AWS_XRAY_CONTEXT_MISSING = 'RUNTIME_ERROR';
    jest.resetModules();
    jest.doMock('cls-hooked/context', () => jest.requireActual('../../../../lambdas/shared/xray-context'));
  });

  afterAll(() => {
    socket.close();
    for (const k of ['LAMBDA_TASK_ROOT', 'AWS_XRAY_DAEMON_ADDRESS', '_X_AMZN_TRACE_ID', 'AWS_XRAY_CONTEXT_MISSING']) delete process.env[k];
  });

  it('nests subsegments under the one current across awaits, concurrent calls apart, and sends them to the daemon', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AWSXRay = require('aws-xray-sdk-core') as typeof import('aws-xray-sdk-core');
    AWSXRay.setLogger({ error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined });
    expect('storage' in AWSXRay.getNamespace()).toBe(true); // this module's namespace, not cls-hooked's
    const facade = AWSXRay.getSegment()!;
    const handler = facade.addNewSubsegment('## handler');
    AWSXRay.setSegment(handler);
    const call = (name: string) =>
      AWSXRay.captureAsyncFunc(name, async (sub) => {
        await tick();
        const inner = AWSXRay.getSegment() as unknown as { name: string };
        await AWSXRay.captureAsyncFunc(`${name}/inner`, async (leaf) => {
          await tick();
          leaf!.close();
        });
        sub!.close();
        return inner.name;
      });
    const names = await Promise.all([call('DynamoDB'), call('Kafka')]);
    expect(names).toEqual(['DynamoDB', 'Kafka']);
    handler.close();
    expect((AWSXRay.getSegment() as unknown as { name: string }).name).toBe('## handler');

    // sent one by one or nested in their parent's document: either way, each with its parent
    type Doc = { name: string; id: string; parent_id?: string; subsegments?: Doc[] };
    const flat = (d: Doc, parent?: string): Doc[] => [{ ...d, parent_id: d.parent_id ?? parent }, ...(d.subsegments ?? []).flatMap((c) => flat(c, d.id))];
    const all = () => (received as unknown as Doc[]).flatMap((d) => flat(d));
    const deadline = Date.now() + 5000;
    while (all().length < 5 && Date.now() < deadline) await tick();
    const byName = Object.fromEntries(all().map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['## handler', 'DynamoDB', 'DynamoDB/inner', 'Kafka', 'Kafka/inner']);
    expect(byName['## handler']!.parent_id).toBe(FUNCTION_SEGMENT);
    expect(byName['DynamoDB']!.parent_id).toBe(byName['## handler']!.id);
    expect(byName['Kafka']!.parent_id).toBe(byName['## handler']!.id);
    expect(byName['DynamoDB/inner']!.parent_id).toBe(byName['DynamoDB']!.id);
    expect(byName['Kafka/inner']!.parent_id).toBe(byName['Kafka']!.id);
    expect(received.every((d) => d.trace_id === ROOT)).toBe(true);
  });
});
