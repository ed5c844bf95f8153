import { headerValue } from '../../../../lambdas/shared/headers';

describe('header lookup', () => {
  it('finds a header whatever the case of its name or of the name asked for', () => {
    const headers = { 'If-Match': '"3"', 'content-type': 'application/json', 'X-CORRELATION-ID': 'abc' };
    expect(headerValue(headers, 'if-match')).toBe('"3"');
    expect(headerValue(headers, 'IF-MATCH')).toBe('"3"');
    expect(headerValue(headers, 'Content-Type')).toBe('application/json');
    expect(headerValue(headers, 'x-correlation-id')).toBe('abc');
  });

  it('answers undefined for a missing header, a header without a value, or no headers at all', () => {
    expect(headerValue({ accept: '*/*' }, 'if-match')).toBeUndefined();
    expect(headerValue({ 'if-match': undefined }, 'if-match')).toBeUndefined();
    expect(headerValue(null, 'if-match')).toBeUndefined();
    expect(headerValue(undefined, 'if-match')).toBeUndefined();
  });

  it('keeps an empty value as sent', () => {
    expect(headerValue({ 'X-Fault-Injection': '' }, 'x-fault-injection')).toBe('');
  });
});
