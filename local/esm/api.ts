/**
 * Control-plane calls of the Lambda API that operators and tests use on the local cloud:
 * ListEventSourceMappings, GetEventSourceMapping, UpdateEventSourceMapping (Enabled) and
 * UpdateFunctionConfiguration (Environment, Timeout, MemorySize). Served on the edge endpoint
 * next to the Lambda data-plane API (local/lambda/api.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LambdaRuntime } from '../lambda';
import type { RunningMapping } from '.';

const ESM_PREFIX = '/2015-03-31/event-source-mappings';
const FN_PREFIX = '/2015-03-31/functions/';

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, doc: unknown, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(JSON.stringify(doc));
}

function describe(m: RunningMapping, region: string) {
  const p = m.spec.properties;
  return {
    UUID: m.spec.uuid,
    EventSourceArn: m.spec.eventSourceArn,
    FunctionArn: `arn:aws:lambda:${region}:000000000000:function:${m.spec.functionName}`,
    State: m.enabled ? 'Enabled' : 'Disabled',
    StateTransitionReason: 'USER_INITIATED',
    BatchSize: p.BatchSize ?? 100,
    StartingPosition: p.StartingPosition,
    Topics: p.Topics,
    AmazonManagedKafkaEventSourceConfig: p.AmazonManagedKafkaEventSourceConfig,
    SelfManagedKafkaEventSourceConfig: p.SelfManagedKafkaEventSourceConfig,
    MaximumRetryAttempts: p.MaximumRetryAttempts,
    FunctionResponseTypes: p.FunctionResponseTypes,
    FilterCriteria: p.FilterCriteria,
    MaximumRecordAgeInSeconds: p.MaximumRecordAgeInSeconds,
    DestinationConfig: p.DestinationConfig,
    LastModified: Math.floor(Date.now() / 1000),
  };
}

export function createControlApiHandler(opts: { runtime: LambdaRuntime; mappings: () => RunningMapping[]; region: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(ESM_PREFIX)) {
      const uuid = decodeURIComponent(url.pathname.slice(ESM_PREFIX.length).replace(/^\/+|\/+$/g, ''));
      const all = opts.mappings();
      if (!uuid && method === 'GET') {
        const fn = url.searchParams.get('FunctionName');
        const name = fn?.split(':function:').pop()?.split(':')[0];
        const list = all.filter((m) => !name || m.spec.functionName === name).map((m) => describe(m, opts.region));
        send(res, 200, { EventSourceMappings: list });
        return true;
      }
      const mapping = all.find((m) => m.spec.uuid === uuid);
      if (!mapping) {
        send(res, 404, { Type: 'User', message: `The resource you requested does not exist. (Service: Lambda, mapping ${uuid})` }, 'ResourceNotFoundException');
        return true;
      }
      if (method === 'GET') {
        send(res, 200, describe(mapping, opts.region));
        return true;
      }
      if (method === 'PUT') {
        const update = await body(req);
        if (typeof update.Enabled === 'boolean') await mapping.setEnabled(update.Enabled);
        send(res, 202, describe(mapping, opts.region));
        return true;
      }
      return false;
    }
    const m = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/.exec(url.pathname);
    if (m && method === 'PUT' && url.pathname.startsWith(FN_PREFIX)) {
      const spec = opts.runtime.get(decodeURIComponent(m[1]!));
      if (!spec) {
        send(res, 404, { Type: 'User', message: `Function not found: ${m[1]}` }, 'ResourceNotFoundException');
        return true;
      }
      const update = await body(req);
      const env = (update.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
      const next = {
        ...spec,
        environment: env ?? spec.environment,
        timeoutSeconds: typeof update.Timeout === 'number' ? update.Timeout : spec.timeoutSeconds,
        memoryMb: typeof update.MemorySize === 'number' ? update.MemorySize : spec.memoryMb,
      };
      opts.runtime.register(next); // new execution environments pick the new configuration up
      send(res, 200, {
        FunctionName: next.name,
        FunctionArn: next.arn,
        Handler: next.handler,
        Timeout: next.timeoutSeconds,
        MemorySize: next.memoryMb,
        Environment: { Variables: next.environment },
        LastUpdateStatus: 'Successful',
        State: 'Active',
      });
      return true;
    }
    return false;
  };
}
