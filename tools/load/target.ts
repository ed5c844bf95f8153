/**
 * What the load tools call: the running local cloud's API (with the internal plan's key, whose
 * plan-wide ceiling is meant for load tests), its edge endpoint for the AWS SDK, and the
 * functions deployed, all read from `<data>/endpoints.json`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEndpoints, type Endpoints } from '../../local/endpoints';

export interface Target {
  apiUrl: string;
  apiKey: string;
  edgeUrl: string;
  region: string;
  providerUrl?: string;
  functions: string[];
  dataDir: string;
  pid: number;
}

export function targetOf(e: Endpoints): Target {
  return {
    apiUrl: e.api_url,
    apiKey: e.api_keys.internal ?? e.api_key,
    edgeUrl: e.edge_url,
    region: e.region,
    providerUrl: e.services.payment_provider,
    functions: e.functions,
    dataDir: e.data_dir,
    pid: e.pid,
  };
}

/** The cloud whose data folder is `dataDir` (default `.local/`, as `npm start` uses). */
export function readTarget(dataDir = path.resolve('.local')): Target {
  if (!existsSync(path.join(dataDir, 'endpoints.json'))) {
    throw new Error(`no local cloud answers from ${dataDir} (no endpoints.json): run \`npm start\` first, or pass --start`);
  }
  return targetOf(readEndpoints(dataDir));
}

export const awsConfig = (t: Target) => ({
  endpoint: t.edgeUrl,
  region: t.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** The deployed function whose logical name contains `part` (e.g. "InventoryApiFn"). */
export function functionNamed(t: Target, part: string): string {
  const name = t.functions.find((f) => f.includes(part));
  if (!name) throw new Error(`no function named like ${part} in ${t.functions.join(', ')}`);
  return name;
}
