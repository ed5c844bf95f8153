import { historyQuery, preferencesBody, sendBody } from '../../../../lambdas/notifications/schemas';

const problems = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('the send request', () => {
  it.each([
    [{ channel: 'email', to: 'a@example.com', subject: 's', body: 'b' }, []],
    [{ channel: 'sms', to: '+447700900123', body: 'b' }, []],
    [{ channel: 'push', to: 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/6b2d4068-8e5d-44f9-860c-9af5457a9dda', body: 'b' }, []],
    [{ channel: 'sms', user_id: 'u1', template: 'order_confirmed', data: {} }, []],
    [{ channel: 'fax', to: 'x', body: 'b' }, ['channel: expected one of email, sms, push']],
    [{ channel: 'email', to: 'nope', subject: 's', body: 'b' }, ['to: not an email address (channel email)']],
    [{ channel: 'sms', to: '0123456', body: 'b' }, ['to: not an E.164 phone number (+ and country code, at most 15 digits) (channel sms)']],
    [{ channel: 'sms', to: '+1234567890123456', body: 'b' }, ['to: not an E.164 phone number (+ and country code, at most 15 digits) (channel sms)']],
    [{ channel: 'push', to: 'arn:aws:sns:us-east-1:000000000000:mytopic', body: 'b' }, ['to: not an SNS platform endpoint ARN (channel push)']],
    [{ channel: 'sms', body: 'b' }, ['to: to or user_id is required']],
    [{ channel: 'sms', to: '+15555550100' }, ['body: body is required (or a template)']],
    [{ channel: 'email', to: 'a@example.com', body: 'b' }, ['subject: an email needs a subject']],
    [{ channel: 'sms', to: '+15555550100', body: 'b', subject: 's', html: '<p>' }, ['html: html is for email only', 'subject: an SMS has no subject']],
    [{ channel: 'sms', to: '+15555550100', template: 't', body: 'b' }, ['body: body cannot be given with a template']],
    [{ channel: 'sms', to: '+15555550100', body: 'b', data: {} }, ['data: data goes with a template']],
    [{ channel: 'sms', to: '+15555550100', body: 'x'.repeat(1601) }, ['body: at most 1600 characters on sms']],
    [{ channel: 'push', to: 'arn:aws:sns:us-east-1:000000000000:endpoint/APNS/app/x', subject: 't'.repeat(101), body: 'b' }, ['subject: at most 100 characters on push']],
    [{ channel: 'email', to: 'a@example.com', subject: 's', body: 'b', cc: 'x' }, [': Unrecognized key: "cc"']],
  ])('%j: %j', (input, expected) => {
    expect(problems(sendBody.safeParse(input))).toEqual(expected);
  });
});

describe('the preferences request', () => {
  it('checks each contact and the channels', () => {
    expect(problems(preferencesBody.safeParse({ email: 'a@example.com', phone: '+15555550123', push_token: 't', channels: ['email'], locale: 'fr-FR', name: 'A' }))).toEqual([]);
    expect(problems(preferencesBody.safeParse({ email: 'x', phone: '555', channels: ['sms', 'sms', 'pager'], locale: 'not_a_locale' }))).toEqual([
      'email: not an email address',
      'phone: not an E.164 phone number (+ and country code, at most 15 digits)',
      'channels.2: expected one of email, sms, push',
      'locale: not a supported BCP 47 locale',
    ]);
    expect(problems(preferencesBody.safeParse({ channels: ['sms', 'sms'] }))).toEqual(['channels: each channel at most once']);
    expect(problems(preferencesBody.safeParse({ push_token: 'has space', channels: [] }))).toEqual(['push_token: printable ASCII without spaces']);
  });
});

describe('the history query', () => {
  it('needs a filter and reads the limit from text', () => {
    expect(historyQuery.parse({ user_id: 'u', limit: '5' })).toEqual({ user_id: 'u', limit: 5 });
    expect(problems(historyQuery.safeParse({}))).toEqual(['user_id: give at least one of user_id, order_id, status (channel narrows them)']);
    expect(problems(historyQuery.safeParse({ channel: 'sms' }))).toEqual(['user_id: give at least one of user_id, order_id, status (channel narrows them)']);
    expect(problems(historyQuery.safeParse({ status: 'lost', limit: '0' }))).toEqual(['status: expected one of pending, sent, failed', 'limit: Too small: expected number to be >=1']);
  });
});
