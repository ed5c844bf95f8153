/**
 * What the Payments integration tests share on the local cloud: the simulated provider's
 * settings and call counters, the payments functions by name, invoking the task function through
 * the Lambda API, and changing a function's environment with UpdateFunctionConfiguration.
 */
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { awsClientConfig, endpoints } from './local-cloud';

export interface ProviderStats {
  calls: { charge: number; refund: number; lookup: number; get_charge: number; get_refund: number };
  total: number;
  outcomes: Record<string, number>;
}

export const providerUrl = () => {
  const url = endpoints().services.payment_provider;
  if (!url) throw new Error('the endpoints document has no services.payment_provider');
  return url;
};

export async function providerStats(): Promise<ProviderStats> {
  return (await (await fetch(`${providerUrl()}/_sim/stats`)).json()) as ProviderStats;
}

export async function setProvider(config: { failure_rate?: number; latency_ms?: number; slow_ms?: number }): Promise<void> {
  const res = await fetch(`${providerUrl()}/_sim/config`, { method: 'PUT', body: JSON.stringify(config) });
  if (res.status !== 200) throw new Error(`PUT /_sim/config: ${res.status} ${await res.text()}`);
}

export function paymentsFunction(kind: 'Api' | 'Tasks'): string {
  const name = endpoints().functions.find((f) => f.includes(`Payments${kind}Fn`));
  if (!name) throw new Error(`no Payments${kind} function in ${endpoints().functions.join(', ')}`);
  return name;
}

// The SDK's standard retries cover throttling (TooManyRequestsException), as in AWS.
let client: LambdaClient | undefined;
const lambda = () => (client ??= new LambdaClient({ ...awsClientConfig(), maxAttempts: 5 }));

export interface TaskResult {
  /** set when the invocation failed ("Unhandled") */
  error?: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function invokeTask(payload: unknown): Promise<TaskResult> {
  const out = await lambda().send(new InvokeCommand({ FunctionName: paymentsFunction('Tasks'), Payload: Buffer.from(JSON.stringify(payload)) }));
  return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8') || 'null') };
}

/** Sets (or, with undefined, removes) variables of a function's environment; resolves the variables it had before. */
export async function updateEnvironment(functionName: string, changes: Record<string, string | undefined>): Promise<Record<string, string>> {
  const current = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const before = { ...(current.Environment?.Variables ?? {}) };
  const next = { ...before };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: next } }));
  return before;
}

export async function replaceEnvironment(functionName: string, variables: Record<string, string>): Promise<void> {
  await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: variables } }));
}

export const CARDS = {
  approve: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expired: '4000000000000069',
  slow: '4000000000000077',
  providerError: '4000000000000119',
} as const;
