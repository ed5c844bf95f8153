/**
 * The provider's API (`/v1`), shaped like a card processor's: JSON in and out, an
 * `Idempotency-Key` on every charge and refund (a retry with the same key answers the first
 * result and charges nothing; the same key while the first request is still being processed is
 * 409 `request_in_progress`; with other parameters 400 `idempotency_key_reused`), a lookup of a
 * charge by its idempotency key (how a client that timed out learns what happened), and errors
 * as `{"error": {"type", "code", "message", ...}}`:
 *
 *   POST /v1/charges   {amount, currency, card_number, description?, metadata?}
 *        200 charge | 402 card_error (code = decline code, charge = its id) | 500 api_error
 *   GET  /v1/charges?idempotency_key=K   200 {object:"list", data:[charge]} (empty when none) | 409 in progress
 *   GET  /v1/charges/{id}                200 charge | 404
 *   POST /v1/refunds   {charge, amount?, reason?}   200 refund | 400 | 404
 *   GET  /v1/refunds/{id}                200 refund | 404
 *
 * A decline is a result like an approval: it is kept under its key and answered again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { behaviourOf, brandOf } from './cards';
import type { CallStats } from './simulation';
import type { Charge, ProviderStore, Refund } from './store';

export interface Answer {
  status: number;
  body: unknown;
}

export interface ApiContext {
  store: ProviderStore;
  stats: CallStats;
  now: () => number;
  /** how long the slow card takes now */
  slowMs: () => number;
  /** waits `ms`, or rejects when the simulator closes */
  wait: (ms: number) => Promise<void>;
  /** the idempotency keys of charges being processed now */
  busy: Set<string>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 24);

export const error = (status: number, type: string, code: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { error: { type, code, message, ...extra } },
});

const invalid = (param: string, message: string) => error(400, 'invalid_request_error', 'parameter_invalid', message, { param });

function publicCharge(c: Charge) {
  const { request_hash: _h, ...rest } = c;
  return rest;
}

function publicRefund(r: Refund) {
  const { request_hash: _h, ...rest } = r;
  return rest;
}

function chargeAnswer(c: Charge): Answer {
  if (c.status === 'succeeded') return { status: 200, body: publicCharge(c) };
  return error(402, 'card_error', c.failure_code!, c.failure_message!, { decline_code: c.failure_code, charge: c.id });
}

export async function createCharge(ctx: ApiContext, key: string | undefined, body: Record<string, unknown>): Promise<Answer> {
  if (!key) return error(400, 'invalid_request_error', 'idempotency_key_missing', 'an Idempotency-Key header is required on charges');
  const { amount, currency, card_number: card, description, metadata } = body;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) return invalid('amount', 'amount must be a positive integer in minor units');
  if (typeof currency !== 'string' || !/^[a-zA-Z]{3}$/.test(currency)) return invalid('currency', 'currency must be a three-letter ISO code');
  if (typeof card !== 'string' || !/^\d{12,19}$/.test(card)) return invalid('card_number', 'card_number must be 12 to 19 digits');
  const requestHash = hash({ amount, currency: currency.toLowerCase(), card });
  const existing = ctx.store.chargeByKey.get(key);
  if (existing) {
    const c = ctx.store.charges.get(existing)!;
    if (c.request_hash !== requestHash) return error(400, 'idempotency_error', 'idempotency_key_reused', 'this idempotency key was used with other parameters');
    ctx.stats.outcome('replayed');
    return chargeAnswer(c);
  }
  const { busy } = ctx;
  if (busy.has(`charge:${key}`)) {
    ctx.stats.outcome('in_progress');
    return error(409, 'idempotency_error', 'request_in_progress', 'a request with this idempotency key is being processed; retry later');
  }
  const behaviour = behaviourOf(card);
  if (behaviour.kind === 'error') {
    ctx.stats.outcome('provider_error');
    return error(500, 'api_error', 'processing_error', 'an error occurred while processing the charge; nothing was charged');
  }
  busy.add(`charge:${key}`);
  try {
    if (behaviour.kind === 'slow') await ctx.wait(ctx.slowMs());
    const charge: Charge = {
      object: 'charge',
      id: newId('ch'),
      idempotency_key: key,
      amount,
      currency: currency.toLowerCase(),
      status: behaviour.kind === 'decline' ? 'failed' : 'succeeded',
      failure_code: behaviour.kind === 'decline' ? behaviour.code : undefined,
      failure_message: behaviour.kind === 'decline' ? behaviour.message : undefined,
      amount_refunded: 0,
      refunded: false,
      card: { brand: brandOf(card), last4: card.slice(-4) },
      description: typeof description === 'string' ? description.slice(0, 500) : undefined,
      metadata: metadata && typeof metadata === 'object' ? (metadata as Record<string, string>) : undefined,
      request_hash: requestHash,
      created: new Date(ctx.now()).toISOString(),
    };
    ctx.store.putCharge(charge);
    ctx.stats.outcome(charge.status === 'succeeded' ? 'approved' : 'declined');
    return chargeAnswer(charge);
  } finally {
    busy.delete(`charge:${key}`);
  }
}

export function findChargeByKey(ctx: ApiContext, key: string | null): Answer {
  if (!key) return invalid('idempotency_key', 'idempotency_key is required');
  if (ctx.busy.has(`charge:${key}`)) {
    ctx.stats.outcome('in_progress');
    return error(409, 'idempotency_error', 'request_in_progress', 'the charge with this idempotency key is being processed; retry later');
  }
  const id = ctx.store.chargeByKey.get(key);
  ctx.stats.outcome(id ? 'found' : 'not_found');
  return { status: 200, body: { object: 'list', data: id ? [publicCharge(ctx.store.charges.get(id)!)] : [] } };
}

export function getCharge(ctx: ApiContext, id: string): Answer {
  const c = ctx.store.charges.get(id);
  return c ? { status: 200, body: publicCharge(c) } : error(404, 'invalid_request_error', 'resource_missing', `no such charge: ${id}`);
}

export function getRefund(ctx: ApiContext, id: string): Answer {
  const r = ctx.store.refunds.get(id);
  return r ? { status: 200, body: publicRefund(r) } : error(404, 'invalid_request_error', 'resource_missing', `no such refund: ${id}`);
}

export function createRefund(ctx: ApiContext, key: string | undefined, body: Record<string, unknown>): Answer {
  if (!key) return error(400, 'invalid_request_error', 'idempotency_key_missing', 'an Idempotency-Key header is required on refunds');
  const { charge: chargeId, amount, reason } = body;
  if (typeof chargeId !== 'string') return invalid('charge', 'charge (the id of the charge to refund) is required');
  if (amount !== undefined && (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1)) return invalid('amount', 'amount must be a positive integer');
  const requestHash = hash({ chargeId, amount: amount ?? null });
  const existing = ctx.store.refundByKey.get(key);
  if (existing) {
    const r = ctx.store.refunds.get(existing)!;
    if (r.request_hash !== requestHash) return error(400, 'idempotency_error', 'idempotency_key_reused', 'this idempotency key was used with other parameters');
    ctx.stats.outcome('replayed');
    return { status: 200, body: publicRefund(r) };
  }
  const charge = ctx.store.charges.get(chargeId);
  if (!charge) return error(404, 'invalid_request_error', 'resource_missing', `no such charge: ${chargeId}`);
  if (charge.status !== 'succeeded') return error(400, 'invalid_request_error', 'charge_not_captured', 'the charge was declined; there is nothing to refund');
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) return error(400, 'invalid_request_error', 'charge_already_refunded', `charge ${charge.id} has already been refunded`);
  const value = (amount as number | undefined) ?? remaining;
  if (value > remaining) return error(400, 'invalid_request_error', 'amount_too_large', `the refund (${value}) is more than what is left on the charge (${remaining})`);
  const refund: Refund = {
    object: 'refund',
    id: newId('re'),
    idempotency_key: key,
    charge: charge.id,
    amount: value,
    currency: charge.currency,
    reason: typeof reason === 'string' ? reason.slice(0, 200) : undefined,
    status: 'succeeded',
    request_hash: requestHash,
    created: new Date(ctx.now()).toISOString(),
  };
  ctx.store.putRefund(refund);
  ctx.store.putCharge({ ...charge, amount_refunded: charge.amount_refunded + value, refunded: charge.amount_refunded + value === charge.amount });
  ctx.stats.outcome('refunded');
  return { status: 200, body: publicRefund(refund) };
}
