import { cancellationOf, causeMessage, declineCode } from '../../../../../lambdas/orders/domain/reasons';

const lambdaCause = (errorType: string, errorMessage: string) => JSON.stringify({ errorType, errorMessage, trace: ['at x (file.js:1:1)'] });

describe('cancellation reasons', () => {
  it('out of stock at reservation: nothing was charged', () => {
    expect(cancellationOf({ step: 'reserve', error: 'InsufficientStockError', cause: lambdaCause('InsufficientStockError', 'not enough stock for every line of the order') }, false)).toEqual({
      reason: 'out_of_stock',
      message: 'Some items in your order are out of stock, so it was cancelled. You have not been charged.',
      failed_step: 'reserve',
    });
  });

  it('a declined card names the decline code in words and as a code', () => {
    const c = cancellationOf({ step: 'payment', error: 'PaymentDeclinedError', cause: lambdaCause('PaymentDeclinedError', 'card declined: decline_code=insufficient_funds') }, false);
    expect(c).toEqual({
      reason: 'payment_declined',
      decline_code: 'insufficient_funds',
      message: 'Your payment was declined: the card has insufficient funds (insufficient_funds). The order was cancelled. You have not been charged.',
      failed_step: 'payment',
    });
  });

  it('a declined card without a known code is card_declined', () => {
    expect(cancellationOf({ step: 'payment', error: 'PaymentDeclinedError', cause: 'no reason given' }, false).decline_code).toBe('card_declined');
  });

  it('a card the provider refuses as invalid is a decline, not our failure', () => {
    expect(cancellationOf({ step: 'payment', error: 'ValidationError', cause: 'card number fails the Luhn check' }, false)).toMatchObject({ reason: 'payment_declined', decline_code: 'invalid_payment_method' });
  });

  it.each(['CircuitOpenError', 'PaymentProviderError'])('%s: payment unavailable', (error) => {
    expect(cancellationOf({ step: 'payment', error, cause: 'provider down' }, false)).toEqual({
      reason: 'payment_unavailable',
      message: 'We could not reach our payment provider, so your order was cancelled. You have not been charged. Please try again in a few minutes.',
      failed_step: 'payment',
    });
  });

  it.each(['States.Timeout', 'Sandbox.Timedout'])('%s: the step timed out, and money taken is refunded', (error) => {
    expect(cancellationOf({ step: 'confirm', error, cause: '' }, true)).toEqual({
      reason: 'step_timed_out',
      message: 'Confirming your order took too long, so your order was cancelled. Any amount charged has been refunded.',
      failed_step: 'confirm',
    });
  });

  it('anything else is an internal error', () => {
    expect(cancellationOf({ step: 'confirm', error: 'InjectedFaultError', cause: lambdaCause('InjectedFaultError', 'fault injected by request') }, true)).toEqual({
      reason: 'internal_error',
      message: 'Something went wrong on our side while confirming your order, so your order was cancelled. Any amount charged has been refunded.',
      failed_step: 'confirm',
    });
  });

  it('a stuck order the reconciler compensated', () => {
    expect(cancellationOf({ step: 'reconcile', error: 'SagaStuck', cause: 'stopped' }, false)).toEqual({
      reason: 'stuck_reconciled',
      message: 'Your order could not be completed in time and was cancelled by our automatic check. You have not been charged.',
      failed_step: 'reconcile',
    });
  });
});

describe('reading causes', () => {
  it("takes a Lambda error's message out of its JSON cause", () => {
    expect(causeMessage(lambdaCause('X', 'the message'))).toBe('the message');
    expect(causeMessage('plain text')).toBe('plain text');
    expect(causeMessage(undefined)).toBe('');
  });

  it('finds the decline code in the forms a provider writes it', () => {
    expect(declineCode('decline_code=expired_card')).toBe('expired_card');
    expect(declineCode('{"decline_code":"stolen_card"}')).toBe('stolen_card');
    expect(declineCode(lambdaCause('PaymentDeclinedError', 'Decline code: DO_NOT_HONOR'))).toBe('do_not_honor');
    expect(declineCode(lambdaCause('PaymentDeclinedError', 'the card was declined (insufficient_funds)'))).toBe('insufficient_funds');
    expect(declineCode(lambdaCause('PaymentDeclinedError', 'card declined: velocity_limit'))).toBe('velocity_limit');
    expect(declineCode('nothing known here')).toBeUndefined();
  });
});
