/**
 * Sampling in the local Lambda runtime with a real traced function (Powertools Tracer, its X-Ray
 * SDK sending UDP to the daemon): an invocation that brings no decision is decided by the rule in
 * force and, sampled out, runs with Sampled=0 and sends nothing; a caller's Sampled=1 is kept
 * whatever the rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaRuntime } from '../../../../local/lambda';
import { createXRay, type XRay } from '../../../../local/xray';
import { parseTraceHeader } from '../../../../local/xray/segments';
import { fixtureFunction } from '../../../support/functions';
import { eventually } from '../../../support/poll';

describe('X-Ray sampling in the local Lambda runtime', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xray-sampling-'));
  let xray: XRay;
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    // a rule that keeps no new trace: what AWS's default does to most requests under load
    xray = await createXRay({ dataDir: dir, accountId: '000000000000', daemonPort: 0, sampling: { reservoirPerSecond: 0, fixedRate: 0 } });
    runtime = new LambdaRuntime({ tracing: xray });
    runtime.register(fixtureFunction('traced', 'traced.handler', { environment: { AWS_XRAY_DAEMON_ADDRESS: xray.daemonAddress } }));
  });

  afterAll(async () => {
    await runtime.close();
    await xray.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a new trace the rule samples out with Sampled=0 and records nothing of it, and keeps a caller\'s Sampled=1', async () => {
    const out = await runtime.invoke('traced', { orderId: 'sampled-out' });
    expect(out.status).toBe('ok');
    const header = parseTraceHeader((out as { payload: { trace: string } }).payload.trace)!;
    expect(header.sampled).toBe(false);
    expect(header.root).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);

    // a caller's decision is not the rule's to change
    const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-cccccccccccccccccccccccc`;
    const kept = await runtime.invoke('traced', { orderId: 'kept' }, { traceHeader: `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1` });
    expect((kept as { payload: { trace: string } }).payload.trace).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    // the kept trace whole: Lambda's two segments and the Tracer's subsegments, which came over UDP after the first invocation's would have
    await eventually('the kept trace with its handler subsegment', async () => {
      const t = xray.store.get(root);
      const docs = t ? xray.store.documents(t) : [];
      // the SDK sends each subsegment on its own in Lambda, or folded under its parent
      return docs.some((d) => d.name === '## traced.handler' || d.subsegments?.some((s) => s.name === '## traced.handler')) ? docs : undefined;
    });
    expect(xray.store.get(header.root)).toBeUndefined();
    expect([...xray.store.all()].map((t) => xray.store.documents(t)[0]!.trace_id)).toEqual([root]);
  });
});
