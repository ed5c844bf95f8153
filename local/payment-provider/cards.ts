/**
 * The simulator's test cards, as a card-payment provider's sandbox documents them (the numbers are
 * the ones Stripe publishes for the same behaviours, so they are familiar). Any other number that
 * passes the Luhn check is approved; one that fails it is declined as `incorrect_number`.
 *
 * | number           | behaviour                                                   |
 * | ---------------- | ----------------------------------------------------------- |
 * | 4242424242424242 | approved (Visa)                                             |
 * | 5555555555554444 | approved (Mastercard)                                       |
 * | 4000000000000002 | declined: card_declined                                     |
 * | 4000000000009995 | declined: insufficient_funds                                |
 * | 4000000000000069 | declined: expired_card                                      |
 * | 4000000000000077 | slow: approved after `slow_ms` (default 15 s), past any client timeout |
 * | 4000000000000119 | provider error: HTTP 500 processing_error, nothing charged  |
 */
export type CardBehaviour =
  | { kind: 'approve' }
  | { kind: 'decline'; code: string; message: string }
  | { kind: 'slow' }
  | { kind: 'error' };

export const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = Object.freeze({
  '4242424242424242': { kind: 'approve' },
  '5555555555554444': { kind: 'approve' },
  '4000000000000002': { kind: 'decline', code: 'card_declined', message: 'Your card was declined.' },
  '4000000000009995': { kind: 'decline', code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000000000000069': { kind: 'decline', code: 'expired_card', message: 'Your card has expired.' },
  '4000000000000077': { kind: 'slow' },
  '4000000000000119': { kind: 'error' },
});

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function behaviourOf(number: string): CardBehaviour {
  return TEST_CARDS[number] ?? (luhnValid(number) ? { kind: 'approve' } : { kind: 'decline', code: 'incorrect_number', message: 'Your card number is incorrect.' });
}

/** The card's brand by its leading digits (enough for the receipts the platform shows). */
export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^6(011|5)/.test(number)) return 'discover';
  return 'unknown';
}
