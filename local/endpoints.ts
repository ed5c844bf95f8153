/**
 * The endpoints document: where each part of the running local cloud answers and an API key to
 * call it with, written to `<data>/endpoints.json` once the cloud is ready (scripts and tests read
 * it) and removed at start so that nobody polls the ports of an earlier run.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Endpoints {
  api_url: string;
  api_stage_url: string;
  stage: string;
  /** the key printed at start-up */
  api_key: string;
  /** one key per usage plan, by plan */
  api_keys: Record<string, string>;
  edge_url: string;
  /** the console, a web app on the edge */
  console_url: string;
  region: string;
  /** address of each local service */
  services: Record<string, string>;
  functions: string[];
  data_dir: string;
  /** which new traces X-Ray keeps: `all`, or the rule (`--xray-sampling`) */
  xray_sampling: string;
  /** the local cloud's process (SIGINT or SIGTERM stops it cleanly) */
  pid: number;
  started_at: string;
}

export const endpointsFile = (dataDir: string) => path.join(dataDir, 'endpoints.json');

/** Writes the document atomically: a reader never sees half of it. */
export function writeEndpoints(dataDir: string, endpoints: Endpoints): void {
  const file = endpointsFile(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(endpoints, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export function readEndpoints(dataDir: string): Endpoints {
  return JSON.parse(readFileSync(endpointsFile(dataDir), 'utf8')) as Endpoints;
}

export function removeEndpoints(dataDir: string): void {
  rmSync(endpointsFile(dataDir), { force: true });
}
