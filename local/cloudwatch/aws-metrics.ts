/**
 * The metrics AWS services publish by themselves, recorded from the local emulators' hooks with
 * AWS's namespaces, names, units and dimensions, so the template's alarms and dashboards on them
 * mean locally what they mean in AWS:
 *
 * - AWS/Lambda (FunctionName): Invocations, Errors, Throttles, Duration;
 * - AWS/ApiGateway (ApiName, Stage): Count, 4XXError, 5XXError (0 or 1 per request, so Average is
 *   the rate), Latency, IntegrationLatency;
 * - AWS/States (StateMachineArn): ExecutionsStarted, ExecutionsSucceeded, ExecutionsFailed,
 *   ExecutionsTimedOut, ExecutionsAborted, ExecutionTime;
 * - AWS/SQS (QueueName): ApproximateNumberOfMessagesVisible, ApproximateNumberOfMessagesNotVisible,
 *   ApproximateNumberOfMessagesDelayed, sampled every `everyMs` (AWS: every minute).
 */
import type { MetricStore } from './store';

/** Every AWS-published metric the local cloud records, by namespace (the alarms' infra test checks against it). */
export const PUBLISHED: Record<string, readonly string[]> = {
  'AWS/Lambda': ['Invocations', 'Errors', 'Throttles', 'Duration'],
  'AWS/ApiGateway': ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency'],
  'AWS/States': ['ExecutionsStarted', 'ExecutionsRedriven', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionTime'],
  'AWS/SQS': ['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  'AWS/Kafka': ['SumOffsetLag', 'MaxOffsetLag', 'OffsetLag'],
};

export function lambdaMetrics(store: MetricStore) {
  return (functionName: string, r: { status: string; durationMs?: number }) => {
    const t = store.now();
    const dims = [{ Name: 'FunctionName', Value: functionName }];
    if (r.status === 'throttled') {
      store.add('AWS/Lambda', 'Throttles', dims, [{ t, v: 1 }], 'Count');
      return;
    }
    store.add('AWS/Lambda', 'Invocations', dims, [{ t, v: 1 }], 'Count');
    store.add('AWS/Lambda', 'Errors', dims, [{ t, v: r.status === 'ok' ? 0 : 1 }], 'Count');
    if (r.durationMs !== undefined) store.add('AWS/Lambda', 'Duration', dims, [{ t, v: Math.round(r.durationMs * 100) / 100 }], 'Milliseconds');
  };
}

export function apiGatewayMetrics(store: MetricStore) {
  return (r: { apiName: string; stage: string; status: number; latencyMs: number; integrationLatencyMs?: number }) => {
    const t = store.now();
    const dims = [
      { Name: 'ApiName', Value: r.apiName },
      { Name: 'Stage', Value: r.stage },
    ];
    store.add('AWS/ApiGateway', 'Count', dims, [{ t, v: 1 }], 'Count');
    store.add('AWS/ApiGateway', '4XXError', dims, [{ t, v: r.status >= 400 && r.status < 500 ? 1 : 0 }], 'Count');
    store.add('AWS/ApiGateway', '5XXError', dims, [{ t, v: r.status >= 500 ? 1 : 0 }], 'Count');
    store.add('AWS/ApiGateway', 'Latency', dims, [{ t, v: Math.round(r.latencyMs * 100) / 100 }], 'Milliseconds');
    if (r.integrationLatencyMs !== undefined) store.add('AWS/ApiGateway', 'IntegrationLatency', dims, [{ t, v: Math.round(r.integrationLatencyMs * 100) / 100 }], 'Milliseconds');
  };
}

const ENDS: Record<string, string> = {
  ExecutionSucceeded: 'ExecutionsSucceeded',
  ExecutionFailed: 'ExecutionsFailed',
  ExecutionTimedOut: 'ExecutionsTimedOut',
  ExecutionAborted: 'ExecutionsAborted',
};

export function statesMetrics(store: MetricStore) {
  const started = new Map<string, number>(); // execution ARN -> start (ms); bounded below
  return (stateMachineArn: string, executionArn: string, event: { type: string; timestamp: number }) => {
    const dims = [{ Name: 'StateMachineArn', Value: stateMachineArn }];
    if (event.type === 'ExecutionStarted' || event.type === 'ExecutionRedriven') {
      store.add('AWS/States', event.type === 'ExecutionStarted' ? 'ExecutionsStarted' : 'ExecutionsRedriven', dims, [{ t: event.timestamp, v: 1 }], 'Count');
      started.set(executionArn, event.timestamp);
      if (started.size > 10_000) started.delete(started.keys().next().value!);
      return;
    }
    const name = ENDS[event.type];
    if (!name) return;
    store.add('AWS/States', name, dims, [{ t: event.timestamp, v: 1 }], 'Count');
    const t0 = started.get(executionArn);
    if (t0 !== undefined) {
      store.add('AWS/States', 'ExecutionTime', dims, [{ t: event.timestamp, v: event.timestamp - t0 }], 'Milliseconds');
      started.delete(executionArn);
    }
  };
}

export function sqsSampler(store: MetricStore, queues: () => Array<{ name: string; attributes: () => Record<string, string> }>, everyMs = 60_000, log?: (m: string) => void) {
  const sample = () => {
    const t = store.now();
    for (const q of queues()) {
      try {
        const a = q.attributes();
        const dims = [{ Name: 'QueueName', Value: q.name }];
        store.add('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dims, [{ t, v: Number(a.ApproximateNumberOfMessages ?? 0) }], 'Count', false, false);
        store.add('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', dims, [{ t, v: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) }], 'Count', false, false);
        store.add('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', dims, [{ t, v: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) }], 'Count', false, false);
      } catch (err) {
        log?.(`cloudwatch: sampling queue ${q.name}: ${(err as Error).message}`);
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return { sample, stop: () => clearInterval(timer) };
}
