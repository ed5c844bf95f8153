/**
 * `npm start`: brings the whole platform up on this machine and keeps it running until Ctrl-C.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalCloud } from './cloud';
import { readConfig } from './config';
import { platformApp } from './platform';

async function main(): Promise<void> {
  const config = readConfig();
  // This machine's Node 20 is not the functions' Node 24: the AWS SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Node's own warnings (such as the AWS SDK's notice about Node versions) are for the log, not the console.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const dir = path.join(config.dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, 'node.log'), `${new Date().toISOString()} ${w.name}: ${w.message}\n`);
  });
  const print = (line: string) => console.log(line);
  const cloud = await startLocalCloud(config, { app: platformApp, print: config.quiet ? undefined : print, verbose: config.verbose });
  const e = cloud.endpoints;
  const tryCalls = platformApp.tryCalls?.(e) ?? [];
  console.log(`
The platform is running.

  API         ${e.api_url}   (also ${e.api_stage_url})
  API key     ${e.api_key}   (standard plan; partner and internal keys in ${e.data_dir}/endpoints.json)
  Console     ${e.console_url}   (orders, sagas, traces, events, messages, failures, metrics)
  AWS edge    ${e.edge_url}   (export AWS_ENDPOINT_URL=${e.edge_url})
  Kafka       ${e.services.kafka}   OpenSearch ${e.services.opensearch}   Redis ${e.services.redis}
  Logs        ${e.data_dir}/logs/   (<function>.log for each function, <service>.log for the local services)
${tryCalls.length ? `\nTry:\n${tryCalls.map((c) => `  ${c}`).join('\n')}\n` : ''}
Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    cloud.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`stopping failed: ${err.message}`);
        process.exit(1);
      },
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
