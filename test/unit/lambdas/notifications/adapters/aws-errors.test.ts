import { InternalErrorException, InvalidParameterException, ThrottledException, EndpointDisabledException } from '@aws-sdk/client-sns';
import { BadRequestException, MessageRejected, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { errorCode, isTransient, toChannelError } from '../../../../../lambdas/notifications/adapters/aws/errors';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe("the SDK clients' errors as channel failures", () => {
  it('retries server faults and throttles, not refusals of the request', () => {
    expect(isTransient(new InternalErrorException({ message: 'x', ...meta(500) }))).toBe(true);
    expect(isTransient(new ThrottledException({ message: 'x', ...meta(400) }))).toBe(true);
    expect(isTransient(new TooManyRequestsException({ message: 'x', ...meta(429) }))).toBe(true);
    expect(isTransient(new InvalidParameterException({ message: 'x', ...meta(400) }))).toBe(false);
    expect(isTransient(new EndpointDisabledException({ message: 'x', ...meta(400) }))).toBe(false);
    expect(isTransient(new MessageRejected({ message: 'x', ...meta(400) }))).toBe(false);
    expect(isTransient(new BadRequestException({ message: 'x', ...meta(400) }))).toBe(false);
  });

  it('retries a call that got no answer at all (a timeout, a refused connection)', () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    expect(isTransient(timeout)).toBe(true);
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it("names the failure with the provider's code", () => {
    expect(errorCode(new InternalErrorException({ message: 'x', ...meta(500) }))).toBe('InternalError');
    expect(errorCode(new MessageRejected({ message: 'x', ...meta(400) }))).toBe('MessageRejected');
    expect(toChannelError(new EndpointDisabledException({ message: 'Endpoint is disabled', ...meta(400) }))).toMatchObject({ code: 'EndpointDisabled', message: 'Endpoint is disabled', transient: false });
  });
});
