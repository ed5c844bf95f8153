/**
 * The calls the console makes, all to its own origin (the local cloud's edge): AWS JSON 1.0
 * (Step Functions, CloudWatch, SQS), REST-JSON (X-Ray, Lambda), LocalStack's inspection
 * endpoints, the broker's inspection and the platform's API through the console's proxy. The
 * edge takes unsigned requests, so nothing here signs.
 */

export interface ConsoleConfig {
  region: string;
  account_id: string;
  api_base: string;
  api_key: string;
  openapi: string;
}

let config: Promise<ConsoleConfig> | undefined;
/** The page carries its config inline (local/console); /_console/config.json is the same document. */
export const getConfig = () => (config ??= (window as { __CONSOLE_CONFIG__?: ConsoleConfig }).__CONSOLE_CONFIG__ ? Promise.resolve((window as unknown as { __CONSOLE_CONFIG__: ConsoleConfig }).__CONSOLE_CONFIG__) : getJson<ConsoleConfig>('/_console/config.json'));

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
  }
}

async function check(res: Response): Promise<unknown> {
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const b = (body ?? {}) as { __type?: string; message?: string; Message?: string; error?: unknown };
    const type = (b.__type ?? res.headers.get('x-amzn-errortype') ?? `HTTP ${res.status}`).split('#').pop()!.split(':')[0]!;
    throw new ApiError(res.status, type, b.message ?? b.Message ?? (typeof b.error === 'string' ? b.error : text));
  }
  return body;
}

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  return (await check(await fetch(path, init))) as T;
}

/** An AWS JSON 1.0 call: `POST /` with X-Amz-Target. */
async function json10<T>(target: string, body: unknown): Promise<T> {
  const res = await fetch('/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body: JSON.stringify(body) });
  return (await check(res)) as T;
}

export const sfn = <T = any>(op: string, body: unknown) => json10<T>(`AWSStepFunctions.${op}`, body); // eslint-disable-line @typescript-eslint/no-explicit-any
export const cloudwatch = <T = any>(op: string, body: unknown) => json10<T>(`GraniteServiceVersion20100801.${op}`, body); // eslint-disable-line @typescript-eslint/no-explicit-any
export const sqs = <T = any>(op: string, body: unknown) => json10<T>(`AmazonSQS.${op}`, body); // eslint-disable-line @typescript-eslint/no-explicit-any

/** X-Ray's REST-JSON API: POST /TraceSummaries, /Traces, /ServiceGraph. */
export const xray = <T = any>(path: string, body: unknown) => getJson<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Lambda's Invoke: resolves the function's answer, or throws its error. */
export async function invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
  const res = await fetch(`/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const text = await res.text();
  const fnError = res.headers.get('x-amz-function-error');
  if (!res.ok || fnError) throw new ApiError(res.status, fnError ?? 'Invoke', text);
  return text ? JSON.parse(text) : null;
}

/** The platform's REST API through the console's proxy (same origin), with an API key. */
export async function api(path: string, init: { method?: string; body?: string; key?: string } = {}): Promise<{ status: number; body: any; ms: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const c = await getConfig();
  const headers: Record<string, string> = {};
  const key = init.key ?? c.api_key;
  if (key) headers['x-api-key'] = key;
  if (init.body) headers['content-type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(`${c.api_base}${path}`, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: the text */
  }
  return { status: res.status, body, ms: performance.now() - started };
}

export const SAGA_NAME = 'ecommerce-order-saga';

let saga: Promise<string> | undefined;
/** The order saga's state machine ARN (found by its name). */
export const sagaArn = () =>
  (saga ??= (async () => {
    const c = await getConfig();
    return `arn:aws:states:${c.region}:${c.account_id}:stateMachine:${SAGA_NAME}`;
  })());

export const executionArn = async (orderId: string) => (await sagaArn()).replace(':stateMachine:', ':execution:') + `:${orderId}`;
