/**
 * `npm start`: brings the whole platform up on this machine and keeps it running until Ctrl-C.
 */
import { readConfig } from './config';
import { startLocalCloud } from './cloud';

async function main(): Promise<void> {
  const config = readConfig();
  const progress = config.quiet ? () => {} : (m: string) => console.log(m);
  const cloud = await startLocalCloud(config, progress);
  const e = cloud.endpoints;
  console.log(`
The platform is running.

  API         ${e.api_url}   (also ${e.api_stage_url})
  API key     ${e.api_key}   (standard plan; partner and internal keys in ${e.data_dir}/endpoints.json)
  AWS edge    ${e.edge_url}   (export AWS_ENDPOINT_URL=${e.edge_url})
  Kafka       ${e.services.kafka}   OpenSearch ${e.services.opensearch}   Redis ${e.services.redis}
  Logs        ${e.data_dir}/logs/<function>.log

Try:
  curl -H 'x-api-key: ${e.api_key}' ${e.api_url}/api/catalog/search/headphones
  curl -H 'x-api-key: ${e.api_key}' ${e.api_url}/api/inventory/PROD-001

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    cloud.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
