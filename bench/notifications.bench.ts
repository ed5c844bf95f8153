/**
 * Notifications through the local cloud: from an event published to Kafka to the message visible
 * at LocalStack's inspection endpoints (Kafka -> event source mapping -> consumer function ->
 * DynamoDB claim -> SES v2 / SNS on the edge), on a fresh cloud.
 *
 * Figures:
 * - sequential: one `order.confirmed` at a time for a customer with all three channels; the time
 *   from the produce call to each channel's message being visible (polled every 2 ms, the
 *   customer's earlier messages cleared first), and to all three (p50/p95/p99 over 1,000 events);
 * - burst: 1,000 events produced at once, each for its own customer; the time until all are
 *   visible, and each email's latency by the server's own timestamp of it (`Timestamp` of
 *   /_aws/ses) minus the time its event was produced.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { newEvent } from '../lambdas/shared/events/envelope';
import { startLocalCloud } from '../local/cloud';
import { readConfig } from '../local/config';
import { platformApp } from '../local/platform';
import type { BenchOptions } from './run';

interface Customer {
  user_id: string;
  email: string;
  phone: string;
  endpoint: string;
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10 : null);
  return { n: s.length, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function notificationsBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'notifications-bench-'));
  const cloud = await startLocalCloud(readConfig(['--fresh', '--no-seed', '--ephemeral-ports', '--quiet', '--data-dir', dataDir]), { app: platformApp });
  const e = cloud.endpoints;
  const key = e.api_keys.internal ?? e.api_key;
  const edge = e.edge_url;
  const kafka = new Kafka({ clientId: 'notifications-bench', brokers: [e.services.kafka!], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const get = async (p: string) => (await fetch(`${edge}${p}`)).json() as Promise<Record<string, unknown>>;
  const del = (p: string) => fetch(`${edge}${p}`, { method: 'DELETE' });

  async function customer(i: number): Promise<Customer> {
    const user_id = `bench-${i}`;
    const phone = `+1555${String(1_000_000 + i).padStart(7, '0')}`;
    const res = await fetch(`${e.api_url}/api/notifications/preferences/${user_id}`, {
      method: 'PUT',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${user_id}@example.com`, phone, push_token: `bench-token-${i}`, channels: ['email', 'sms', 'push'] }),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`saving ${user_id}: ${res.status} ${await res.text()}`);
    return { user_id, email: `${user_id}@example.com`, phone, endpoint: ((await res.json()) as { push_endpoint_arn: string }).push_endpoint_arn };
  }

  async function publish(c: Customer, n: number): Promise<number> {
    const orderId = `ord-bench-${n}`;
    const event = newEvent('orders', 'order.confirmed', orderId, {
      order_id: orderId,
      user_id: c.user_id,
      total_minor: 1000 + n,
      currency: 'USD',
      items: [{ product_id: 'PROD-001', quantity: 1, unit_price_minor: 1000 + n, name: 'Premium Headphones' }],
    });
    const t = performance.now();
    await producer.send({ topic: 'order-events', acks: -1, messages: [{ key: orderId, value: JSON.stringify(event) }] });
    return t;
  }

  try {
    const events = opts.quick ? 100 : 1000;

    // 1. sequential: one event at a time, each channel polled until its message is there
    const c = await customer(0);
    const smsPath = `/_aws/sns/sms-messages?phoneNumber=${encodeURIComponent(c.phone)}`;
    const pushPath = `/_aws/sns/platform-endpoint-messages?endpointArn=${encodeURIComponent(c.endpoint)}`;
    const warmUp = 20;
    const lat = { email: [] as number[], sms: [] as number[], push: [] as number[], all: [] as number[] };
    for (let n = 0; n < events + warmUp; n++) {
      await Promise.all([del('/_aws/ses'), del(smsPath), del(pushPath)]);
      const t0 = await publish(c, n);
      const seen: Partial<Record<'email' | 'sms' | 'push', number>> = {};
      const deadline = t0 + 10_000;
      while (!(seen.email && seen.sms && seen.push)) {
        const [emails, sms, push] = await Promise.all([
          seen.email ? undefined : get('/_aws/ses'),
          seen.sms ? undefined : get(smsPath),
          seen.push ? undefined : get(pushPath),
        ]);
        const now = performance.now();
        if (emails && (emails.messages as unknown[]).length) seen.email = now;
        // a filtered answer names the phone or endpoint even with no message: count the messages
        if (sms && ((sms.sms_messages as Record<string, unknown[]>)[c.phone] ?? []).length) seen.sms = now;
        if (push && ((push.platform_endpoint_messages as Record<string, unknown[]>)[c.endpoint] ?? []).length) seen.push = now;
        if (now > deadline) throw new Error(`event ${n}: not every message was visible within 10 s (${JSON.stringify(seen)})`);
        await pause(2);
      }
      if (n < warmUp) continue; // cold starts and first connections are not the steady state
      lat.email.push(seen.email! - t0);
      lat.sms.push(seen.sms! - t0);
      lat.push.push(seen.push! - t0);
      lat.all.push(Math.max(seen.email!, seen.sms!, seen.push!) - t0);
    }

    async function runBurst() {
      await Promise.all([del('/_aws/ses'), del('/_aws/sns/sms-messages'), del('/_aws/sns/platform-endpoint-messages')]);
      const customers: Customer[] = [];
      for (let i = 1; i <= events; i += 20) customers.push(...(await Promise.all(Array.from({ length: Math.min(20, events - i + 1) }, (_, k) => customer(i + k)))));
      const producedAt = new Map<string, number>(); // wall clock (ms), to compare with the server's timestamps
      const burstStart = performance.now();
      await Promise.all(
        customers.map(async (cu, i) => {
          await publish(cu, 100_000 + i);
          producedAt.set(cu.email, Date.now());
        }),
      );
      const producedMs = performance.now() - burstStart;
      let all: { emails: number; sms: number; push: number } = { emails: 0, sms: 0, push: 0 };
      const burstDeadline = performance.now() + 300_000;
      for (;;) {
        const [emails, sms, push] = await Promise.all([get('/_aws/ses'), get('/_aws/sns/sms-messages'), get('/_aws/sns/platform-endpoint-messages')]);
        all = {
          emails: (emails.messages as unknown[]).length,
          sms: Object.keys(sms.sms_messages as object).length,
          push: Object.keys(push.platform_endpoint_messages as object).length,
        };
        if (all.emails >= events && all.sms >= events && all.push >= events) break;
        if (performance.now() > burstDeadline) throw new Error(`burst: only ${JSON.stringify(all)} of ${events} visible after 300 s`);
        await pause(500); // the whole lists each time: seldom, so that watching does not slow what is watched
      }
      const burstMs = performance.now() - burstStart;
      const emails = (await get('/_aws/ses')).messages as Array<{ Destination: { ToAddresses: string[] }; Timestamp: string }>;
      const emailLatency = emails.map((m) => Date.parse(m.Timestamp) - producedAt.get(m.Destination.ToAddresses[0]!)!);

      return {
        events,
        customers: events,
        producedInMs: Math.round(producedMs),
        allVisibleInMs: Math.round(burstMs),
        messagesPerSecond: Math.round((3 * events) / (burstMs / 1000)),
        emailLatencyByServerTimestamp: percentiles(emailLatency),
        note: 'every event produced at once (order-events has 5 partitions: five batches in flight at a time); the server timestamp of each email minus the time its event was produced',
      };
    }

    // 2. burst: every event at once, each for its own customer
    const burst = await runBurst().catch((err: Error) => ({ error: err.message }));

    return {
      sequential: {
        events: lat.all.length,
        note: 'order.confirmed produced to Kafka -> message visible at the inspection endpoint; one event at a time, after 20 warm-up events; polled every 2 ms',
        email: percentiles(lat.email),
        sms: percentiles(lat.sms),
        push: percentiles(lat.push),
        allThreeChannels: percentiles(lat.all),
      },
      burst,
    };
  } finally {
    await producer.disconnect();
    await cloud.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
