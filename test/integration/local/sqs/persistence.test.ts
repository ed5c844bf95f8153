// Durability: queues, attributes, tags, messages, receive counts, in-flight state, FIFO dedup
// and move tasks survive a restart; a torn journal tail is dropped; and a SIGKILLed process
// (a child running the emulator behind its own edge) loses nothing it acknowledged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { FakeClock, type Harness, startSqs } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

test('state survives a restart; in-flight messages come back after their timeout', async () => {
  const clock = new FakeClock();
  h = await startSqs({ clock: clock.now });
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '60' }, tags: { team: 'ops' } }));
  const fifoUrl = (await h.client.send(new CreateQueueCommand({ QueueName: 'kept.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  for (const b of ['one', 'two', 'three']) await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: b, MessageAttributes: { n: { DataType: 'String', StringValue: b } } }));
  const dedup = await h.client.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  const received = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
  const receivedAt = clock.t;

  await h.restart();
  // twice: the first restart compacted the journal; the second replays the snapshot
  await h.restart();
  const attrs = await h.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  expect(attrs.Attributes).toMatchObject({ VisibilityTimeout: '60', ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1' });
  expect((await h.client.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'ops' });
  const again = await h.client.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  expect(again.MessageId).toBe(dedup.MessageId);
  const next = BigInt((await h.client.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'g', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }))).SequenceNumber!);
  expect(next > BigInt(dedup.SequenceNumber!)).toBe(true);

  clock.t = receivedAt + 60_000;
  const all = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect(all.Messages!.map((m) => m.Body).sort()).toEqual(['one', 'three', 'two']);
  const first = all.Messages!.find((m) => m.MessageId === received.Messages![0]!.MessageId)!;
  expect(first.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  expect(first.MessageAttributes).toEqual({ n: { DataType: 'String', StringValue: first.Body } });
});

test('a torn last journal line is dropped and the next writes go on a line of their own', async () => {
  h = await startSqs();
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'torn' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'whole' }));
  await h.restart();
  fs.appendFileSync(path.join(h.dataDir, 'sqs.journal'), '{"t":"s","q":"torn","m":{"id":"x","bo');
  await h.restart();
  expect(h.logs.some((l) => l.includes('torn tail dropped'))).toBe(true);
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'after' }));
  await h.restart();
  const got = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(got.Messages!.map((m) => m.Body).sort()).toEqual(['after', 'whole']);
});

test('nothing acknowledged is lost when the process is killed with SIGKILL', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-kill-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'sqs-process.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ inFlight: string[]; at: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (.*)\n/.exec(out);
      if (m) resolve(JSON.parse(m[1]!) as { inFlight: string[]; at: number });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;

  // restarted with a clock 2 s after the receive: the in-flight messages are visible again
  const clock = new FakeClock(ready.at + 2_000);
  h = await startSqs({ dataDir, clock: clock.now });
  const QueueUrl = `${h.url}/000000000000/durable`;
  const bodies: string[] = [];
  for (;;) {
    const r = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    if (!r.Messages) break;
    for (const m of r.Messages) {
      bodies.push(m.Body!);
      expect(m.Attributes!.ApproximateReceiveCount).toBe(ready.inFlight.includes(m.Body!) ? '2' : '1');
    }
  }
  expect(bodies.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `msg-${i}`).sort());
});
