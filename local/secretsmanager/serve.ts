/**
 * The local Secrets Manager alone: `npx tsx local/secretsmanager/serve.ts [--port 4584] [--data-dir DIR]`,
 * then `AWS_ENDPOINT_URL=http://127.0.0.1:4584 aws secretsmanager list-secrets`.
 */
import path from 'node:path';
import { startSecretsManagerServer } from '.';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

void startSecretsManagerServer({
  port: Number(arg('--port') ?? 4584),
  dataDir: path.resolve(arg('--data-dir') ?? '.local/secretsmanager'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  accountId: '000000000000',
  log: (m) => console.error(m),
}).then((s) => {
  console.log(`Secrets Manager on ${s.url}`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
