/**
 * The local EventBridge alone, for trying it by hand:
 *
 *   npx tsx local/eventbridge/serve.ts [--port 4010] [--data .local/eventbridge]
 *   aws --endpoint-url http://127.0.0.1:4010 events put-events --entries '[{"Source":"demo","DetailType":"Hello","Detail":"{}"}]'
 *
 * With no services around it, deliveries to Lambda, Step Functions and SQS are printed instead.
 */
import { startEventBridgeServer } from './index';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const print = (kind: string) => async (arn: string, body: string) => {
    process.stdout.write(`${kind} ${arn}\n  ${body}\n`);
  };
  const server = await startEventBridgeServer({
    port: Number(arg('port', '4010')),
    dataDir: arg('data', '.local/eventbridge'),
    region: arg('region', 'us-east-1'),
    accountId: arg('account', '000000000000'),
    log: (m) => process.stderr.write(`${m}\n`),
    invokeLambda: print('lambda'),
    startExecution: print('states'),
    sendSqs: print('sqs'),
  });
  process.stdout.write(`EventBridge on ${server.url} (data in ${arg('data', '.local/eventbridge')}); Ctrl-C stops it\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
