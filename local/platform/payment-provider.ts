/**
 * The platform's simulated payment provider on the local cloud (an app hook, see
 * ../app-hooks.ts): started before the deploy, on LOCAL_PAYMENT_PROVIDER_PORT (8090) when free,
 * else (and with --ephemeral-ports) on a free port. Every function gets its address as
 * PAYMENT_PROVIDER_URL (over the template's placeholder), and the endpoints document lists it as
 * `services.payment_provider`. It checks the API key callers send against the platform's secret,
 * which it reads through the edge like any client once the deployment has created it.
 */
import path from 'node:path';
import { PAYMENTS_ENV } from '../../lambdas/payments/env';
import { PAYMENT_PROVIDER_SECRET_NAME } from '../../lib/services/payments';
import type { AppContext, LocalAddOn } from '../app-hooks';
import { createPaymentProvider, secretsManagerApiKey } from '../payment-provider';
import { findFreePort } from '../process/ports';

export const DEFAULT_PAYMENT_PROVIDER_PORT = 8090;

export async function startPaymentProvider(ctx: Omit<AppContext, 'endpoints'> & { edgeUrl: string }): Promise<LocalAddOn> {
  const preferred = Number(process.env.LOCAL_PAYMENT_PROVIDER_PORT || DEFAULT_PAYMENT_PROVIDER_PORT);
  const log = ctx.progress.serviceLog('payment-provider');
  const provider = await createPaymentProvider({
    dataDir: path.join(ctx.config.dataDir, 'payment-provider'),
    port: ctx.config.ephemeralPorts ? 0 : await findFreePort(preferred),
    apiKey: secretsManagerApiKey({ endpoint: ctx.edgeUrl, region: ctx.config.region, secretId: PAYMENT_PROVIDER_SECRET_NAME, log }),
    log,
  });
  return {
    environment: { [PAYMENTS_ENV.providerUrl]: provider.url },
    services: { payment_provider: provider.url },
    stop: () => provider.close(),
  };
}
