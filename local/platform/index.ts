/**
 * The e-commerce platform's own steps on the local cloud (an app hook, see ../app-hooks.ts):
 * the standard plan's key is the one printed, the local stand-ins start before the deploy (the
 * push channel's platform application), the sample customers and catalog are loaded through the
 * API on a first start, and the calls to try are the original README's.
 */
import type { AppHooks } from '../app-hooks';
import { METRICS_NAMESPACE, PROMETHEUS_KINDS } from '../../lambdas/shared/metric-names';
import { combineAddOns } from './add-ons';
import { preparePushChannel } from './notifications';
import { startPaymentProvider } from './payment-provider';
import { loadSampleData } from './sample-data';

export const platformApp: AppHooks = {
  planAlias: (name) => name.replace(/^ecommerce-/, ''),
  primaryPlan: 'standard',
  // the Prometheus endpoint serves the original platform's names: orders_created_total, not ecommerce_orders_created_total
  metricKinds: PROMETHEUS_KINDS,
  metricNamespacePrefixes: { [METRICS_NAMESPACE]: '' },
  beforeDeploy: combineAddOns((ctx) => startPaymentProvider(ctx), preparePushChannel),
  afterDeploy: async (ctx, signal) => (ctx.config.seed ? loadSampleData(ctx, signal) : undefined),
  tryCalls: (e) => [
    `curl -H 'x-api-key: ${e.api_key}' ${e.api_url}/api/catalog/search/headphones`,
    `curl -H 'x-api-key: ${e.api_key}' ${e.api_url}/api/inventory/PROD-001`,
  ],
};
