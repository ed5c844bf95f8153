/**
 * The payment provider simulator alone:
 *   npx tsx local/payment-provider/serve.ts [--port 8090] [--data-dir DIR] [--api-key KEY]
 * (the key defaults to PAYMENT_PROVIDER_API_KEY, else `sk_test_local`), then
 *   curl -H 'authorization: Bearer sk_test_local' -H 'idempotency-key: k1' -H 'content-type: application/json' \
 *        -d '{"amount":1999,"currency":"usd","card_number":"4242424242424242"}' http://127.0.0.1:8090/v1/charges
 */
import path from 'node:path';
import { createPaymentProvider, staticApiKey } from '.';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

void createPaymentProvider({
  port: Number(arg('--port') ?? 8090),
  dataDir: path.resolve(arg('--data-dir') ?? '.local/payment-provider'),
  apiKey: staticApiKey(arg('--api-key') ?? process.env.PAYMENT_PROVIDER_API_KEY ?? 'sk_test_local'),
  log: (m) => console.error(m),
}).then((p) => {
  console.log(`payment provider on ${p.url}`);
  const stop = () => void p.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
