/**
 * What the Notifications tests share: customers with unique contacts, events produced to Kafka
 * as Orders and Payments produce them, the messages the local SES and SNS kept (LocalStack's
 * inspection endpoints), the history through the API, and the replay of a consumer group.
 */
import { LambdaClient, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { newEvent, type EventEnvelope, type Topic } from '../../lambdas/shared/events/envelope';
import { awsClientConfig, call, endpoints, uniqueId } from './local-cloud';
import { eventually, until } from './poll';

export interface Customer {
  user_id: string;
  email: string;
  phone: string;
  push_token: string;
  push_endpoint_arn: string;
}

/** A fictional number (+1 555 01xx-style ranges) no other test uses. */
export const uniquePhone = () => `+1555${Math.floor(Math.random() * 1e7).toString().padStart(7, '0')}`;

/** A customer with all three channels, saved through the API. */
export async function newCustomer(prefix = 'ntf', extra: Record<string, unknown> = {}): Promise<Customer> {
  const user_id = uniqueId(prefix);
  const body = { email: `${user_id}@example.com`, phone: uniquePhone(), push_token: `token-${user_id}`, channels: ['email', 'sms', 'push'], name: 'Test', ...extra };
  const res = await call(`/api/notifications/preferences/${user_id}`, { method: 'PUT', body });
  if (res.status !== 201) throw new Error(`saving ${user_id}: ${res.status} ${JSON.stringify(res.body)}`);
  return { user_id, email: body.email, phone: body.phone, push_token: body.push_token, push_endpoint_arn: res.body.push_endpoint_arn };
}

let producer: Promise<Producer> | undefined;

function kafka(): Kafka {
  return new Kafka({ clientId: 'notifications-tests', brokers: [endpoints().services.kafka!], logLevel: logLevel.NOTHING });
}

/** Produces an envelope to `topic`, keyed by its subject; resolves the partition and offset it got. */
export async function produce(topic: Topic, event: EventEnvelope): Promise<{ partition: number; offset: string }> {
  producer ??= (async () => {
    const p = kafka().producer({ allowAutoTopicCreation: false });
    await p.connect();
    return p;
  })();
  const [meta] = await (await producer).send({ topic, acks: -1, messages: [{ key: event.subject, value: JSON.stringify(event), headers: { event_id: event.id, event_type: event.type } }] });
  return { partition: meta!.partition, offset: meta!.baseOffset! };
}

export async function closeProducer(): Promise<void> {
  if (producer) await (await producer).disconnect();
  producer = undefined;
}

export const orderEvent = (type: string, orderId: string, data: Record<string, unknown>) => newEvent('orders', type, orderId, { order_id: orderId, ...data });
export const paymentEvent = (type: string, paymentId: string, data: Record<string, unknown>) => newEvent('payments', type, paymentId, data);

export interface InspectedEmail {
  Id: string;
  Destination: { ToAddresses?: string[] };
  Source: string;
  Subject: string;
  Body: { text_part: string | null; html_part: string | null };
  ConfigurationSetName?: string;
  EmailTags?: Array<{ Name: string; Value: string }>;
}

const edge = () => endpoints().edge_url;

export async function emailsTo(address: string): Promise<InspectedEmail[]> {
  const res = await fetch(`${edge()}/_aws/ses`);
  const { messages } = (await res.json()) as { messages: InspectedEmail[] };
  return messages.filter((m) => m.Destination.ToAddresses?.includes(address));
}

export async function smsTo(phone: string): Promise<Array<{ Message: string; MessageAttributes?: Record<string, { StringValue: string }> }>> {
  const res = await fetch(`${edge()}/_aws/sns/sms-messages?phoneNumber=${encodeURIComponent(phone)}`);
  return ((await res.json()) as { sms_messages: Record<string, never[]> }).sms_messages[phone] ?? [];
}

export async function pushesTo(endpointArn: string): Promise<Array<{ Message: string; MessageStructure?: string }>> {
  const res = await fetch(`${edge()}/_aws/sns/platform-endpoint-messages?endpointArn=${encodeURIComponent(endpointArn)}`);
  return ((await res.json()) as { platform_endpoint_messages: Record<string, never[]> }).platform_endpoint_messages[endpointArn] ?? [];
}

/** What a customer got on each channel, once each channel has at least `n` messages. */
export async function received(c: Customer, n = 1, timeoutMs = 20_000) {
  return eventually(
    `${n} message(s) on each channel for ${c.user_id}`,
    async () => {
      const [email, sms, push] = await Promise.all([emailsTo(c.email), smsTo(c.phone), pushesTo(c.push_endpoint_arn)]);
      return email.length >= n && sms.length >= n && push.length >= n ? { email, sms, push } : undefined;
    },
    { timeoutMs },
  );
}

export interface HistoryItem {
  notification_id: string;
  channel: 'email' | 'sms' | 'push';
  status: 'pending' | 'sent' | 'failed';
  type: string;
  attempts: number;
  recipient: string;
  subject?: string;
  body: string;
  error?: { code: string; message: string };
  event_id?: string;
  order_id?: string;
  user_id?: string;
  created_at: string;
}

export async function history(query: string): Promise<{ items: HistoryItem[]; next_cursor: string | null }> {
  const res = await call(`/api/notifications/history?${query}`);
  if (res.status !== 200) throw new Error(`history ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The order's notifications once `n` of them have ended (sent or failed). */
export async function endedFor(orderId: string, n: number): Promise<HistoryItem[]> {
  return eventually(`${n} ended notifications of ${orderId}`, async () => {
    const { items } = await history(`order_id=${encodeURIComponent(orderId)}`);
    return items.filter((i) => i.status !== 'pending').length >= n ? items : undefined;
  });
}

/** Switches the local SNS fault of a channel (`sms`, `application`, `email`) on with a code, or off with null. */
export async function snsFault(channel: 'sms' | 'application' | 'email', code: string | null): Promise<void> {
  const res = await fetch(`${edge()}/_local/sns/faults`, { method: 'PUT', body: JSON.stringify({ [channel]: code }) });
  if (res.status !== 200) throw new Error(`setting the ${channel} fault: ${res.status}`);
}

/** The notifications consumer's event source mapping of `topic`. */
export async function notificationsMapping(topic: Topic): Promise<{ uuid: string; functionName: string }> {
  const lambda = new LambdaClient(awsClientConfig());
  const functionName = endpoints().functions.find((f) => f.includes('NotificationsEvents'));
  if (!functionName) throw new Error('no notifications consumer is deployed');
  const out = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName }));
  const mapping = out.EventSourceMappings?.find((m) => m.Topics?.includes(topic));
  if (!mapping?.UUID) throw new Error(`no mapping of ${topic} to ${functionName}`);
  return { uuid: mapping.UUID, functionName };
}

/**
 * Replays a consumer group from `offset` of one partition, as an operator would: stop the
 * mapping (its member leaves the group), move the group's committed offset back, start it, and
 * wait until the group has committed past `until` again (the replayed records were handled).
 */
export async function replay(topic: Topic, groupId: string, partition: number, offset: string, untilOffset: string): Promise<void> {
  const lambda = new LambdaClient(awsClientConfig());
  const { uuid } = await notificationsMapping(topic);
  const admin: Admin = kafka().admin();
  await admin.connect();
  try {
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await until(`group ${groupId} to be empty`, async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Empty', { timeoutMs: 30_000 });
    await admin.setOffsets({ groupId, topic, partitions: [{ partition, offset }] });
    const committed = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.find((p) => p.partition === partition)!.offset;
    expect(await committed()).toBe(offset);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await until(`group ${groupId} to commit past ${untilOffset} again`, async () => BigInt(await committed()) > BigInt(untilOffset), { timeoutMs: 30_000 });
  } finally {
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true })).catch(() => undefined);
    await admin.disconnect();
  }
}
