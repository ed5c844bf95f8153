/**
 * The broker driven by librdkafka through Debian's kcat (spawned as a child process):
 * metadata listing, producing, consuming from an offset, and consuming as a group member.
 * kcat is installed by the project's setup script; these tests fail, saying so, without it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Kafka } from 'kafkajs';
import { client, producerConfig, startBroker, type TestBroker, waitFor } from './helpers';

const KCAT = '/usr/bin/kcat';
let tb: TestBroker;
let kafka: Kafka;

function kcat(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(KCAT, ['-b', tb.broker.bootstrap, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

beforeAll(async () => {
  if (!fs.existsSync(KCAT)) throw new Error(`${KCAT} is missing: install Debian's kcat package (the setup script does)`);
  tb = await startBroker();
  kafka = client(tb);
  await tb.broker.createTopic('kc-meta', 3);
});
afterAll(async () => {
  await tb.stop();
});

test('kcat -L lists the broker and topics with their partitions', async () => {
  const { stdout } = await kcat(['-L']);
  expect(stdout).toContain(`broker 0 at ${tb.broker.bootstrap} (controller)`);
  expect(stdout).toContain('topic "kc-meta" with 3 partitions:');
  expect(stdout).toMatch(/partition 2, leader 0, replicas: 0, isrs: 0/);
});

test('kcat -P produces lines that kafkajs reads back', async () => {
  await tb.broker.createTopic('kc-produce', 1);
  await kcat(['-P', '-t', 'kc-produce', '-K', ':'], 'k1:alpha\nk2:beta\nk3:gamma\n');
  await kcat(['-P', '-t', 'kc-produce', '-z', 'gzip'], 'delta\n');
  const got: string[] = [];
  const consumer = kafka.consumer({ groupId: 'kc-check', maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'kc-produce', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push(`${message.offset}:${message.key?.toString() ?? ''}:${message.value}`) });
  await waitFor('four messages', () => got.length === 4);
  await consumer.disconnect();
  expect(got).toEqual(['0:k1:alpha', '1:k2:beta', '2:k3:gamma', '3::delta']);
});

test('kcat -C -o N -e reads from an offset to the end and exits', async () => {
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic: 'kc-consume', messages: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
  const { stdout } = await kcat(['-C', '-t', 'kc-consume', '-p', '0', '-o', '3', '-e', '-f', '%o|%k|%s\n']);
  expect(stdout.trim().split('\n')).toEqual(['3|k3|v3', '4|k4|v4', '5|k5|v5']);
});

test('kcat -G consumes as a group member and its offsets are committed', async () => {
  await tb.broker.createTopic('kc-group', 2);
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic: 'kc-group', messages: Array.from({ length: 8 }, (_, i) => ({ value: `g${i}`, partition: i % 2 })) });
  await producer.disconnect();
  const { stdout } = await kcat(['-G', 'kc-members', 'kc-group', '-X', 'auto.offset.reset=earliest', '-c', '8', '-f', '%p:%o:%s\n']);
  expect(stdout.trim().split('\n').sort()).toEqual(['0:0:g0', '0:1:g2', '0:2:g4', '0:3:g6', '1:0:g1', '1:1:g3', '1:2:g5', '1:3:g7']);
  const admin = kafka.admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId: 'kc-members', topics: ['kc-group'] });
  await admin.disconnect();
  expect(offsets.partitions.map((p) => p.offset)).toEqual(['4', '4']);
});
