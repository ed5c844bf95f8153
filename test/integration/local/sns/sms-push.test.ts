// SMS and mobile push through @aws-sdk/client-sns: Publish to a phone number (E.164) and to a
// platform endpoint, LocalStack's inspection endpoints, SMS attributes and opt-outs, platform
// applications and endpoints, and the local switch that makes a channel fail.
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  EndpointDisabledException,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  GetSMSAttributesCommand,
  InvalidParameterException,
  ListEndpointsByPlatformApplicationCommand,
  ListPhoneNumbersOptedOutCommand,
  NotFoundException,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetSMSAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { ACCOUNT, type Harness, failure, getJson, startSns } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSns();
});
afterAll(async () => {
  await h.stop();
});

type SmsDoc = { sms_messages: Record<string, Array<Record<string, unknown>>>; region: string };
type PushDoc = { platform_endpoint_messages: Record<string, Array<Record<string, unknown>>>; region: string };

test('Publish to a phone number is kept and listed at /_aws/sms-messages in LocalStack\'s shape', async () => {
  const { MessageId } = await h.client.send(
    new PublishCommand({ PhoneNumber: '+447700900123', Message: 'Your order o-1 is confirmed: 49.99 EUR', MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } }),
  );
  await h.client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'other' }));
  const one = await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages?phoneNumber=%2B447700900123`);
  expect(one.body).toEqual({
    sms_messages: {
      '+447700900123': [
        { PhoneNumber: '+447700900123', MessageId, Message: 'Your order o-1 is confirmed: 49.99 EUR', MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } },
      ],
    },
    region: 'us-east-1',
  });
  const all = await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`);
  expect(Object.keys(all.body.sms_messages).sort()).toEqual(['+15555550100', '+447700900123']);
  expect((await fetch(`${h.url}/_aws/sns/sms-messages?phoneNumber=%2B15555550100`, { method: 'DELETE' })).status).toBe(204);
  expect(Object.keys((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages)).toEqual(['+447700900123']);
  expect((await fetch(`${h.url}/_aws/sns/sms-messages`, { method: 'DELETE' })).status).toBe(204);
  expect((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages).toEqual({});
});

test('a phone number that is not E.164 is InvalidParameter, and nothing is sent', async () => {
  for (const bad of ['447700900123', '+0123', '+1 555 0100', '+1234567890123456']) {
    const err = await failure(h.client.send(new PublishCommand({ PhoneNumber: bad, Message: 'x' })));
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe(`Invalid parameter: PhoneNumber Reason: ${bad} is not valid to publish`);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  }
  expect((await failure(h.client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: '' })))).message).toBe('Invalid parameter: Empty message');
  expect((await failure(h.client.send(new PublishCommand({ Message: 'x' })))).message).toBe('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
  expect((await failure(h.client.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x'.repeat(262145) })))).message).toBe('Invalid parameter: Message too long');
  expect((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages).toEqual({});
});

test('SMS attributes and opt-outs', async () => {
  await h.client.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'SHOP' } }));
  expect((await h.client.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ DefaultSMSType: 'Transactional', DefaultSenderID: 'SHOP' });
  expect((await h.client.send(new GetSMSAttributesCommand({ attributes: ['DefaultSenderID'] }))).attributes).toEqual({ DefaultSenderID: 'SHOP' });
  expect((await failure(h.client.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })))).name).toBe('InvalidParameterException');
  expect((await h.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' }))).isOptedOut).toBe(false);
  expect((await h.client.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual([]);
  h.sns.optOut('+15555550177');
  expect((await h.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550177' }))).isOptedOut).toBe(true);
  expect((await h.client.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual(['+15555550177']);
  await h.client.send(new PublishCommand({ PhoneNumber: '+15555550177', Message: 'not delivered' }));
  expect((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages['+15555550177']).toBeUndefined();
  await h.client.send(new OptInPhoneNumberCommand({ phoneNumber: '+15555550177' }));
  expect((await h.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550177' }))).isOptedOut).toBe(false);
});

test('platform applications and endpoints; Publish to an endpoint lands at /_aws/sns/platform-endpoint-messages', async () => {
  const { PlatformApplicationArn } = await h.client.send(new CreatePlatformApplicationCommand({ Name: 'shop-android', Platform: 'GCM', Attributes: { PlatformCredential: 'server-key' } }));
  expect(PlatformApplicationArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:app/GCM/shop-android`);
  expect((await h.client.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn }))).Attributes).toEqual({ Enabled: 'true' });
  const { EndpointArn } = await h.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-token-1', CustomUserData: 'user123' }));
  expect(EndpointArn).toMatch(new RegExp(`^arn:aws:sns:us-east-1:${ACCOUNT}:endpoint/GCM/shop-android/[0-9a-f-]{36}$`));
  // idempotent on the token
  expect((await h.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-token-1', CustomUserData: 'user123' }))).EndpointArn).toBe(EndpointArn);
  const clash = await failure(h.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-token-1', CustomUserData: 'someone-else' })));
  expect(clash.message).toBe(`Invalid parameter: Token Reason: Endpoint ${EndpointArn} already exists with the same Token, but different attributes.`);
  expect((await h.client.send(new GetEndpointAttributesCommand({ EndpointArn }))).Attributes).toEqual({ Enabled: 'true', Token: 'device-token-1', CustomUserData: 'user123' });
  const listed = await h.client.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn }));
  expect(listed.Endpoints!.map((e) => e.EndpointArn)).toEqual([EndpointArn]);

  const push = JSON.stringify({ default: 'Order confirmed', GCM: JSON.stringify({ notification: { title: 'Order confirmed', body: 'o-1: 49.99 EUR' } }) });
  const { MessageId } = await h.client.send(new PublishCommand({ TargetArn: EndpointArn, Message: push, MessageStructure: 'json' }));
  const doc = await getJson<PushDoc>(`${h.url}/_aws/sns/platform-endpoint-messages?endpointArn=${encodeURIComponent(EndpointArn!)}`);
  expect(doc.body).toEqual({ platform_endpoint_messages: { [EndpointArn!]: [{ TargetArn: EndpointArn, Message: push, MessageStructure: 'json', MessageId }] }, region: 'us-east-1' });

  await h.client.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
  expect(await failure(h.client.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'x' })))).toBeInstanceOf(EndpointDisabledException);
  await h.client.send(new DeleteEndpointCommand({ EndpointArn }));
  await h.client.send(new DeleteEndpointCommand({ EndpointArn }));
  expect(await failure(h.client.send(new GetEndpointAttributesCommand({ EndpointArn })))).toBeInstanceOf(NotFoundException);
  expect((await failure(h.client.send(new PublishCommand({ TargetArn: EndpointArn, Message: 'x' })))).message).toBe(
    'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
  );
  expect((await fetch(`${h.url}/_aws/sns/platform-endpoint-messages`, { method: 'DELETE' })).status).toBe(204);
  expect((await getJson<PushDoc>(`${h.url}/_aws/sns/platform-endpoint-messages`)).body.platform_endpoint_messages).toEqual({});
});

test('the fault switch makes the SMS channel fail until it is cleared', async () => {
  const once = new SNSClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  try {
    const set = await fetch(`${h.url}/_local/sns/faults`, { method: 'PUT', body: JSON.stringify({ sms: 'InternalError' }) });
    expect(await set.json()).toEqual({ sms: 'InternalError' });
    const err = await failure(once.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x' })));
    expect(err.name).toBe('InternalErrorException');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages).toEqual({});
    await fetch(`${h.url}/_local/sns/faults`, { method: 'PUT', body: JSON.stringify({ sms: null }) });
    await once.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x' }));
    expect(Object.keys((await getJson<SmsDoc>(`${h.url}/_aws/sns/sms-messages`)).body.sms_messages)).toEqual(['+15555550100']);
    expect((await fetch(`${h.url}/_local/sns/faults`, { method: 'PUT', body: '{"fax": "x"}' })).status).toBe(400);
  } finally {
    once.destroy();
  }
});
