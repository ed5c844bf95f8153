/**
 * Why an order was cancelled, in a code a program reads and a sentence a customer understands,
 * from the saga's failure (`{step, Error, Cause}` as Step Functions caught it) and what the order
 * had reached (whether money was taken decides between "you have not been charged" and "it has
 * been refunded").
 *
 * | failure                                                     | reason              |
 * | ----------------------------------------------------------- | ------------------- |
 * | `InsufficientStockError` (reserve)                          | out_of_stock        |
 * | `PaymentDeclinedError` (its cause names the decline code)   | payment_declined    |
 * | `ValidationError` at payment (the provider refused the card)| payment_declined    |
 * | `CircuitOpenError`, `PaymentProviderError`                  | payment_unavailable |
 * | `States.Timeout`, `Sandbox.Timedout`                        | step_timed_out      |
 * | step `reconcile` (`SagaStuck`)                              | stuck_reconciled    |
 * | anything else                                               | internal_error      |
 */
import type { CancellationReason, OrderCancelledData } from './events';

export interface SagaFailure {
  step: string;
  error: string;
  cause: string;
}

/** Decline codes the payment providers use (Stripe's vocabulary, which the simulator follows), in words. */
export const DECLINE_CODES: Readonly<Record<string, string>> = Object.freeze({
  card_declined: 'the card was declined',
  generic_decline: 'the card was declined',
  do_not_honor: 'the bank did not approve the payment',
  insufficient_funds: 'the card has insufficient funds',
  expired_card: 'the card has expired',
  incorrect_cvc: 'the security code is incorrect',
  incorrect_number: 'the card number is incorrect',
  invalid_number: 'the card number is not valid',
  invalid_payment_method: 'the payment method is not valid',
  lost_card: 'the card was reported lost',
  stolen_card: 'the card was reported stolen',
  fraudulent: 'the bank suspected fraud',
  card_not_supported: 'the card does not support this purchase',
  currency_not_supported: 'the card does not support this currency',
  processing_error: 'the bank could not process the card',
  pickup_card: 'the bank asked to retain the card',
  restricted_card: 'the card is restricted',
  withdrawal_count_limit_exceeded: 'the card is over its limit',
});

const STEP_WORDS: Readonly<Record<string, string>> = Object.freeze({
  reserve: 'reserving your items',
  payment: 'taking your payment',
  confirm: 'confirming your order',
  reconcile: 'completing your order',
});

/** The message of a cause as Lambda reports it (`{"errorType","errorMessage","trace"}`), or the cause itself. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the cause is the message
  }
  return cause;
}

/**
 * The decline code a PaymentDeclinedError's cause names: `decline_code=<code>` (or `: `, or
 * JSON `"decline_code":"<code>"`), or Payments' own `card declined: <code>`, else the first
 * known code that appears as a word.
 */
export function declineCode(cause: string | undefined): string | undefined {
  const text = `${cause ?? ''} ${causeMessage(cause)}`;
  const named = /decline[_ ]?code"?\s*[:=]\s*"?([a-z_]+)/i.exec(text) ?? /declined:\s*([a-z_]+)/i.exec(text);
  if (named) return named[1]!.toLowerCase();
  const words = text.toLowerCase().match(/[a-z_]+/g) ?? [];
  return words.find((w) => Object.prototype.hasOwnProperty.call(DECLINE_CODES, w));
}

function classify(f: SagaFailure): { reason: CancellationReason; declineCode?: string } {
  if (f.step === 'reconcile' || f.error === 'SagaStuck') return { reason: 'stuck_reconciled' };
  if (f.error === 'States.Timeout' || f.error === 'Sandbox.Timedout') return { reason: 'step_timed_out' };
  if (f.error === 'InsufficientStockError') return { reason: 'out_of_stock' };
  if (f.error === 'PaymentDeclinedError') return { reason: 'payment_declined', declineCode: declineCode(f.cause) ?? 'card_declined' };
  if (f.error === 'ValidationError' && f.step === 'payment') return { reason: 'payment_declined', declineCode: 'invalid_payment_method' };
  if (f.error === 'CircuitOpenError' || f.error === 'PaymentProviderError') return { reason: 'payment_unavailable' };
  return { reason: 'internal_error' };
}

/** The cancellation of an order that failed with `failure`; `charged`: whether a payment had been captured. */
export function cancellationOf(failure: SagaFailure, charged: boolean): OrderCancelledData {
  const { reason, declineCode: code } = classify(failure);
  const money = charged ? 'Any amount charged has been refunded.' : 'You have not been charged.';
  const step = STEP_WORDS[failure.step] ?? 'processing your order';
  let message: string;
  switch (reason) {
    case 'out_of_stock':
      message = `Some items in your order are out of stock, so it was cancelled. ${money}`;
      break;
    case 'payment_declined':
      message = `Your payment was declined: ${DECLINE_CODES[code!] ?? 'the card was declined'} (${code}). The order was cancelled. ${money}`;
      break;
    case 'payment_unavailable':
      message = `We could not reach our payment provider, so your order was cancelled. ${money} Please try again in a few minutes.`;
      break;
    case 'step_timed_out':
      message = `${capitalize(step)} took too long, so your order was cancelled. ${money}`;
      break;
    case 'stuck_reconciled':
      message = `Your order could not be completed in time and was cancelled by our automatic check. ${money}`;
      break;
    default:
      message = `Something went wrong on our side while ${step}, so your order was cancelled. ${money}`;
  }
  const data: OrderCancelledData = { reason, message, failed_step: failure.step };
  if (code) data.decline_code = code;
  return data;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
