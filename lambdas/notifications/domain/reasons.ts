/**
 * Why an order was cancelled, in words a customer understands, from the reason code Orders
 * puts on `order.cancelled` (and the card's decline code when the payment was declined). An
 * unknown code gets neutral words, with the event's own message beside them in the email when it
 * carries one: a new code in Orders never makes a cancellation go unannounced.
 */
export interface CancellationWords {
  /** completes "Your order was cancelled because ..." */
  because: string;
  /** what happened to the money */
  money: string;
  /** the event's own sentence, for a code not known here (email only) */
  detail?: string;
}

const NOT_CHARGED = 'You have not been charged.';
const MAYBE_REFUNDED = 'If a payment was taken, it is refunded to your original payment method; you will get a separate message when it is.';

/** Card decline codes (the payment providers' vocabulary) in a customer's words. */
export const DECLINE_WORDS: Readonly<Record<string, string>> = Object.freeze({
  card_declined: 'your card was declined',
  generic_decline: 'your card was declined',
  do_not_honor: 'your bank did not approve the payment',
  insufficient_funds: 'your card has insufficient funds',
  expired_card: 'your card has expired',
  incorrect_cvc: "the card's security code is incorrect",
  incorrect_number: 'the card number is incorrect',
  invalid_number: 'the card number is not valid',
  invalid_payment_method: 'the payment method is not valid',
  lost_card: 'your card was reported lost',
  stolen_card: 'your card was reported stolen',
  fraudulent: 'your bank flagged the payment',
  processing_error: 'your bank could not process the card',
  currency_not_supported: 'your card does not support this currency',
});

const REASONS: Readonly<Record<string, (declineCode?: string) => CancellationWords>> = Object.freeze({
  out_of_stock: () => ({ because: 'some of its items are no longer in stock', money: NOT_CHARGED }),
  payment_declined: (code) => ({
    because: `the payment did not go through: ${(code && Object.hasOwn(DECLINE_WORDS, code) ? DECLINE_WORDS[code] : undefined) ?? 'your card was declined'}`,
    money: NOT_CHARGED,
  }),
  payment_unavailable: () => ({ because: 'we could not reach our payment provider', money: `${NOT_CHARGED} Please try again in a few minutes.` }),
  timeout: () => ({ because: 'it took too long to process', money: MAYBE_REFUNDED }),
  step_timed_out: () => ({ because: 'it took too long to process', money: MAYBE_REFUNDED }),
  reconciled: () => ({ because: 'it could not be completed in time', money: MAYBE_REFUNDED }),
  stuck_reconciled: () => ({ because: 'it could not be completed in time', money: MAYBE_REFUNDED }),
  internal_error: () => ({ because: 'something went wrong on our side', money: MAYBE_REFUNDED }),
  customer_request: () => ({ because: 'you asked us to cancel it', money: MAYBE_REFUNDED }),
});

export const KNOWN_REASONS = Object.keys(REASONS);

/** The words of a cancellation; `message` is the event's own sentence, used for codes not known here. */
export function cancellationWords(code: string, declineCode?: string, message?: string): CancellationWords {
  const known = Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  if (known) return known(declineCode);
  const detail = message?.trim();
  return { because: 'it could not be completed', money: MAYBE_REFUNDED, ...(detail ? { detail } : {}) };
}
