/**
 * Every setting of the local cloud, read once from the command line and the environment.
 * Ports default to the usual ones (API on 8000 like the original's gateway, the AWS edge on
 * 4566 like LocalStack, Kafka 9092, OpenSearch 9200, Redis 6379) and fall back to a free port
 * when taken; `--ephemeral-ports` picks free ports for everything (tests run this way).
 */
import path from 'node:path';
import { parseSampling, type SamplingSetting } from './xray/sampling';

export interface LocalCloudConfig {
  projectDir: string;
  dataDir: string;
  fresh: boolean;
  seed: boolean;
  ephemeralPorts: boolean;
  faultInjection: boolean;
  region: string;
  accountId: string;
  ports: { api: number; edge: number; dynamodb: number; redis: number; kafka: number; opensearch: number; xray: number };
  /** export every trace as OTLP/HTTP to this endpoint (Jaeger, a collector); none: no export */
  otlpEndpoint?: string;
  /** concurrent executions per function without reserved concurrency (AWS: the account's 1,000) */
  lambdaConcurrency: number;
  /** execution environments alive at once on this machine, all functions together */
  lambdaEnvironments: number;
  /** print only the summary */
  quiet: boolean;
  /** print the services' own log lines too */
  verbose: boolean;
  /**
   * functions reach DynamoDB Local through the edge, which counts their operations
   * (GET /_local/requests) at the cost of a second HTTP exchange per operation; default: directly
   */
  dynamodbThroughEdge: boolean;
  /** which new traces X-Ray keeps (local/xray/sampling.ts): every one unless told otherwise */
  xraySampling: SamplingSetting;
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${JSON.stringify(raw)}`);
  return n;
}

export const USAGE = `usage: npm start -- [--fresh] [--no-seed] [--data-dir DIR] [--ephemeral-ports] [--fault-injection] [--dynamodb-through-edge] [--xray-sampling RULE] [--otlp-endpoint URL] [--quiet|--verbose]

  --fresh            start with empty state (deletes the data folder first)
  --no-seed          do not load the sample data (it loads on the first start of a data folder)
  --data-dir DIR     where state lives (default .local/, or LOCAL_DATA_DIR)
  --ephemeral-ports  pick free ports for every service (tests use this)
  --fault-injection  honour the x-fault-injection request header (see README)
  --dynamodb-through-edge  functions reach DynamoDB through the edge, which counts their
                     operations (GET /_local/requests); slower, for measuring
  --xray-sampling RULE  which new traces are kept: all (default), default (AWS's default rule:
                     the first each second and 5% of the rest), none, or <reservoir>/<rate>
  --otlp-endpoint URL  export the traces as OTLP/HTTP to URL (e.g. Jaeger's http://127.0.0.1:4318)
  --quiet            print only the summary
  --verbose          print the services' own logs too (they always go to DATA/logs/)

environment: LOCAL_API_PORT (8000) LOCAL_EDGE_PORT (4566) LOCAL_DYNAMODB_PORT (8001)
             LOCAL_REDIS_PORT (6379) LOCAL_KAFKA_PORT (9092) LOCAL_OPENSEARCH_PORT (9200)
             LOCAL_DATA_DIR LOCAL_REGION (us-east-1) LOCAL_FAULT_INJECTION=1
             LOCAL_DYNAMODB_THROUGH_EDGE=1 (as --dynamodb-through-edge)
             LOCAL_LAMBDA_CONCURRENCY (8 per function; more invocations wait for one)
             LOCAL_LAMBDA_ENVIRONMENTS (24 on the machine; beyond, the least recently used idle one is recycled)
             LOCAL_XRAY_PORT (UDP 2000) LOCAL_XRAY_SAMPLING (as --xray-sampling)
             OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): as --otlp-endpoint`;

export function readConfig(argv: string[] = process.argv.slice(2), projectDir = path.resolve(__dirname, '..')): LocalCloudConfig {
  const flags = new Set<string>();
  let dataDir = process.env.LOCAL_DATA_DIR || path.join(projectDir, '.local');
  let xraySampling = parseSampling(process.env.LOCAL_XRAY_SAMPLING);
  let otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      const value = argv[++i];
      if (!value) throw new Error('--data-dir needs a folder');
      dataDir = path.resolve(value);
    } else if (arg === '--otlp-endpoint') {
      const value = argv[++i];
      if (!value || !/^https?:\/\//.test(value)) throw new Error('--otlp-endpoint needs an http(s) URL');
      otlpEndpoint = value;
    } else if (arg === '--xray-sampling') {
      xraySampling = parseSampling(argv[++i] ?? '(nothing)');
    } else if (['--fresh', '--no-seed', '--ephemeral-ports', '--fault-injection', '--dynamodb-through-edge', '--quiet', '--verbose', '--help'].includes(arg)) {
      flags.add(arg);
    } else {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (flags.has('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const eph = flags.has('--ephemeral-ports');
  const port = (name: string, fallback: number) => (eph ? 0 : intEnv(name, fallback));
  return {
    projectDir,
    dataDir,
    fresh: flags.has('--fresh'),
    seed: !flags.has('--no-seed'),
    ephemeralPorts: eph,
    faultInjection: flags.has('--fault-injection') || process.env.LOCAL_FAULT_INJECTION === '1',
    region: process.env.LOCAL_REGION || 'us-east-1',
    accountId: '000000000000',
    dynamodbThroughEdge: flags.has('--dynamodb-through-edge') || process.env.LOCAL_DYNAMODB_THROUGH_EDGE === '1',
    quiet: flags.has('--quiet'),
    verbose: flags.has('--verbose'),
    // two cores run few executions at once: more environments only cost memory (about 30 MB each)
    lambdaConcurrency: intEnv('LOCAL_LAMBDA_CONCURRENCY', 8) || 8,
    // each warm environment holds 25-40 MB: the cap keeps the platform in its 1 GB
    lambdaEnvironments: intEnv('LOCAL_LAMBDA_ENVIRONMENTS', 24) || 24,
    otlpEndpoint,
    xraySampling,
    ports: {
      api: port('LOCAL_API_PORT', 8000),
      edge: port('LOCAL_EDGE_PORT', 4566),
      dynamodb: port('LOCAL_DYNAMODB_PORT', 8001),
      redis: port('LOCAL_REDIS_PORT', 6379),
      kafka: port('LOCAL_KAFKA_PORT', 9092),
      opensearch: port('LOCAL_OPENSEARCH_PORT', 9200),
      xray: port('LOCAL_XRAY_PORT', 2000),
    },
  };
}
