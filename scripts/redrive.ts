/**
 * npm run redrive -- <queue> [--data-dir DIR]
 *
 * Replays the on-failure records on an event source mapping's on-failure queue (a name, URL or
 * ARN) to the functions they name, against the running local cloud (its edge endpoint, from
 * DATA/endpoints.json), deleting each message whose invoke succeeded. See local/esm/redrive.ts.
 * Exits 0 when every message was redriven, 1 when some are left on the queue.
 */
import { LambdaClient, InvokeCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { redriveQueue } from '../local/esm/redrive';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: npm run redrive -- <queue name, URL or ARN> [--data-dir DIR]\n');
  process.exit(2);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let dataDir = process.env.LOCAL_DATA_DIR || path.join(process.cwd(), '.local');
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') dataDir = path.resolve(args[++i] ?? usage('--data-dir needs a folder'));
    else if (args[i] === '--help' || args[i] === '-h') usage();
    else positional.push(args[i]!);
  }
  if (positional.length !== 1) usage();
  let endpoints: { edge_url: string; region: string };
  try {
    endpoints = JSON.parse(readFileSync(path.join(dataDir, 'endpoints.json'), 'utf8')) as typeof endpoints;
  } catch {
    usage(`no running local cloud found (${path.join(dataDir, 'endpoints.json')}): start it with npm start`);
  }
  const config = { endpoint: endpoints.edge_url, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient({ ...config, maxAttempts: 5 });
  try {
    const queue = positional[0]!;
    const queueUrl = queue.startsWith('http')
      ? queue
      : (await sqs.send(new GetQueueUrlCommand({ QueueName: queue.startsWith('arn:') ? queue.split(':').pop()! : queue }))).QueueUrl!;
    const report = await redriveQueue({
      sqs,
      queueUrl,
      region: endpoints.region,
      dynamodbEndpoint: endpoints.edge_url,
      async invoke(functionArn, event) {
        const out = await lambda.send(new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }));
        if (out.FunctionError) throw new Error(`${out.FunctionError}: ${Buffer.from(out.Payload ?? []).toString('utf8')}`);
      },
      async filters(functionArn, sourceArn, topic) {
        const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionArn }));
        const mapping = EventSourceMappings.find((m) => m.EventSourceArn === sourceArn && (topic === undefined || (m.Topics ?? []).includes(topic)));
        return (mapping?.FilterCriteria?.Filters ?? []).map((f) => JSON.parse(f.Pattern ?? '{}') as Record<string, never>);
      },
      log: (m) => process.stdout.write(`${m}\n`),
    });
    process.stdout.write(`redriven ${report.redriven}, failed ${report.failed}, unreadable ${report.unreadable} (left on the queue: ${report.failed + report.unreadable})\n`);
    return report.failed + report.unreadable === 0 ? 0 : 1;
  } finally {
    sqs.destroy();
    lambda.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`redrive: ${err.message}\n`);
    process.exit(1);
  },
);
