/**
 * PaymentProvider over HTTP: the card processor's API (in AWS the endpoint from
 * PAYMENT_PROVIDER_URL; locally the simulated provider, local/payment-provider). The API key
 * comes from Secrets Manager through `apiKey` (cached; read again once when the provider refuses
 * it, so a rotated key is picked up). Every charge and refund carries the payment id as its
 * `Idempotency-Key`; every call has a timeout, after which its outcome is unknown.
 *
 *   POST /v1/charges {amount, currency, card_number, metadata}   200 charge | 402 decline
 *   GET  /v1/charges?idempotency_key=K                           200 {data: [charge]} | 409 in progress
 *   POST /v1/refunds {charge, amount, reason}                    200 refund
 */
import { PaymentProviderError } from '../../domain/errors';
import type { PaymentProvider, ProviderCharge } from '../../domain/ports';

export interface HttpProviderOptions {
  baseUrl: string;
  /** the API key; `fresh` asks to read it again rather than from the cache */
  apiKey: (fresh: boolean) => Promise<string>;
  timeoutMs: number;
  fetch?: typeof fetch;
}

interface ChargeBody {
  id: string;
  status: 'succeeded' | 'failed';
  failure_code?: string;
  failure_message?: string;
  card?: { brand: string; last4: string };
}

interface ErrorBody {
  error?: { type?: string; code?: string; decline_code?: string; message?: string; charge?: string };
}

export class HttpPaymentProvider implements PaymentProvider {
  private readonly fetch: typeof fetch;

  constructor(private readonly o: HttpProviderOptions) {
    this.fetch = o.fetch ?? fetch;
  }

  async charge(req: { idempotencyKey: string; amountMinor: number; currency: string; cardNumber: string; orderId: string }): Promise<ProviderCharge> {
    const res = await this.call('POST', '/v1/charges', req.idempotencyKey, {
      amount: req.amountMinor,
      currency: req.currency.toLowerCase(),
      card_number: req.cardNumber,
      description: `order ${req.orderId}`,
      metadata: { order_id: req.orderId, payment_id: req.idempotencyKey },
    });
    if (res.status === 200) {
      const c = res.body as ChargeBody;
      return { outcome: 'approved', reference: c.id, card: c.card };
    }
    if (res.status === 402) {
      const e = (res.body as ErrorBody).error ?? {};
      return { outcome: 'declined', code: e.decline_code ?? e.code ?? 'card_declined', message: e.message ?? 'the card was declined', reference: e.charge };
    }
    throw this.failure(res.status, res.body as ErrorBody, 'charge');
  }

  async findCharge(idempotencyKey: string): Promise<ProviderCharge | { outcome: 'not_found' }> {
    const res = await this.call('GET', `/v1/charges?idempotency_key=${encodeURIComponent(idempotencyKey)}`);
    if (res.status !== 200) throw this.failure(res.status, res.body as ErrorBody, 'charge lookup');
    const c = ((res.body as { data?: ChargeBody[] }).data ?? [])[0];
    if (!c) return { outcome: 'not_found' };
    return c.status === 'succeeded'
      ? { outcome: 'approved', reference: c.id, card: c.card }
      : { outcome: 'declined', code: c.failure_code ?? 'card_declined', message: c.failure_message ?? 'the card was declined', reference: c.id };
  }

  async refund(req: { idempotencyKey: string; reference: string; amountMinor: number; reason: string }): Promise<{ reference: string }> {
    const res = await this.call('POST', '/v1/refunds', req.idempotencyKey, { charge: req.reference, amount: req.amountMinor, reason: req.reason });
    if (res.status === 200) return { reference: (res.body as { id: string }).id };
    throw this.failure(res.status, res.body as ErrorBody, 'refund');
  }

  private failure(status: number, body: ErrorBody, what: string): PaymentProviderError {
    const code = body?.error?.code;
    if (status === 409) return new PaymentProviderError('in_progress', `the provider is still processing the ${what}; retry later`);
    if (status === 401 || status === 403) return new PaymentProviderError('unauthorized', `the provider refused our API key (HTTP ${status})`);
    if (status >= 500 || status === 429) return new PaymentProviderError('provider_error', `the payment provider failed the ${what} (HTTP ${status}${code ? ` ${code}` : ''})`);
    return new PaymentProviderError('rejected', `the payment provider refused the ${what} (HTTP ${status}${code ? ` ${code}` : ''})`);
  }

  /** One request with the timeout; a refused key is read again from Secrets Manager and the request sent once more. */
  private async call(method: string, path: string, idempotencyKey?: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      const key = await this.o.apiKey(attempt > 0);
      const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'application/json' };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let status: number;
      let parsed: unknown;
      try {
        const res = await this.fetch(`${this.o.baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        status = res.status;
        const text = await res.text();
        parsed = text ? safeJson(text) : {};
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new PaymentProviderError('timeout', `the payment provider did not answer within ${this.o.timeoutMs} ms`, { cause: err });
        }
        throw new PaymentProviderError('provider_error', 'the payment provider could not be reached', { cause: err });
      }
      if (status === 401 && attempt === 0) continue;
      return { status, body: parsed };
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}
