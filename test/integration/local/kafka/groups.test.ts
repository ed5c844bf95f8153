/**
 * The group coordinator with real kafkajs members: partitions are shared out on join and
 * taken back on leave, and consumption survives a broker restart without losing a message or
 * redelivering one whose offset was committed.
 */
import { AssignerProtocol, type Consumer, type Kafka } from 'kafkajs';
import { client, producerConfig, startBroker, type TestBroker, waitFor } from './helpers';

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker();
  kafka = client(tb);
});
afterAll(async () => {
  await tb.stop();
});

/** Partitions of `topic` assigned to a consumer at its latest join. */
function trackAssignment(consumer: Consumer, topic: string): { partitions: number[] } {
  const state = { partitions: [] as number[] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    state.partitions = [...(e.payload.memberAssignment[topic] ?? [])].sort();
  });
  return state;
}

test('two members split the partitions, each owned by exactly one, and the survivor takes all back', async () => {
  await tb.broker.createTopic('shared', 4);
  const seen = new Map<string, string>(); // "partition:offset" -> consumer name
  const dup: string[] = [];
  const make = async (name: string) => {
    const c = kafka.consumer({ groupId: 'splitters', maxWaitTimeInMs: 200, heartbeatInterval: 300 });
    const a = trackAssignment(c, 'shared');
    await c.connect();
    await c.subscribe({ topic: 'shared', fromBeginning: true });
    await c.run({
      eachMessage: async ({ partition, message }) => {
        const k = `${partition}:${message.offset}`;
        if (seen.has(k)) dup.push(k);
        seen.set(k, name);
      },
    });
    return { c, a };
  };
  const one = await make('one');
  await waitFor('first member owns all four', () => one.a.partitions.length === 4);
  const two = await make('two');
  await waitFor('a rebalance splitting the partitions', () => two.a.partitions.length > 0 && one.a.partitions.length + two.a.partitions.length === 4);
  expect([...one.a.partitions, ...two.a.partitions].sort()).toEqual([0, 1, 2, 3]);
  expect(one.a.partitions.filter((p) => two.a.partitions.includes(p))).toEqual([]);

  const producer = kafka.producer(producerConfig());
  await producer.connect();
  for (let p = 0; p < 4; p++) {
    await producer.send({ topic: 'shared', messages: Array.from({ length: 5 }, (_, i) => ({ value: `p${p}-${i}`, partition: p })) });
  }
  await waitFor('20 messages consumed', () => seen.size === 20);
  for (const [k, who] of seen) {
    const owner = one.a.partitions.includes(Number(k.split(':')[0])) ? 'one' : 'two';
    expect(who).toBe(owner);
  }

  // The broker's view agrees: a stable group of two.
  const admin = kafka.admin();
  await admin.connect();
  const { groups } = await admin.describeGroups(['splitters']);
  expect(groups[0].state).toBe('Stable');
  expect(groups[0].members).toHaveLength(2);
  const assigned = groups[0].members.flatMap((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment.shared ?? []);
  expect([...assigned].sort()).toEqual([0, 1, 2, 3]);

  await two.c.disconnect(); // LeaveGroup
  await waitFor('survivor owns all four again', () => one.a.partitions.length === 4);
  await producer.send({ topic: 'shared', messages: [0, 1, 2, 3].map((p) => ({ value: `after-${p}`, partition: p })) });
  await waitFor('4 more consumed by the survivor', () => seen.size === 24);
  expect([...seen.entries()].filter(([k]) => Number(k.split(':')[1]) === 5).every(([, who]) => who === 'one')).toBe(true);
  expect(dup).toEqual([]);
  await one.c.disconnect();
  await producer.disconnect();
  await admin.disconnect();
});

test('a broker restart mid-consumption loses nothing and redelivers nothing committed', async () => {
  await tb.broker.createTopic('restartable', 2);
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  const before = Array.from({ length: 200 }, (_, i) => ({ value: `v${i}`, partition: i % 2 }));
  await producer.send({ topic: 'restartable', acks: -1, messages: before });

  const processed: string[] = [];
  const committed = new Map<number, number>(); // partition -> committed offset
  const redelivered: string[] = [];
  let restarted: Promise<void> | null = null;
  const consumer = kafka.consumer({ groupId: 'survivors', maxWaitTimeInMs: 200, heartbeatInterval: 300 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'restartable', fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const offset = Number(message.offset);
      if (offset < (committed.get(partition) ?? 0)) redelivered.push(`${partition}:${offset}`);
      await consumer.commitOffsets([{ topic, partition, offset: String(offset + 1) }]);
      committed.set(partition, offset + 1);
      processed.push(message.value!.toString());
      if (processed.length === 60 && !restarted) {
        // Restart while this member is between messages (nothing of ours in flight).
        restarted = tb.restart();
        await restarted;
      }
    },
  });
  await waitFor('the first 200', () => processed.length >= 200, 30_000);
  expect(restarted).not.toBeNull();
  // Produce more after the restart, through the reconnected producer.
  await producer.send({ topic: 'restartable', acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ value: `w${i}`, partition: i % 2 })) });
  await waitFor('all 250', () => processed.length >= 250, 30_000);

  expect(redelivered).toEqual([]);
  expect(new Set(processed).size).toBe(processed.length);
  expect(processed.sort()).toEqual([...before.map((m) => m.value), ...Array.from({ length: 50 }, (_, i) => `w${i}`)].sort());
  const admin = kafka.admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId: 'survivors', topics: ['restartable'] });
  expect(offsets.partitions.map((p) => p.offset).sort()).toEqual(['125', '125']);
  await admin.disconnect();
  await consumer.disconnect();
  await producer.disconnect();
});
