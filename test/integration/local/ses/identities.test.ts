// Identities, templates and configuration sets through @aws-sdk/client-sesv2; deploy-time calls;
// the sandbox; /_aws/ses filters and deletes; persistence across a restart.
import {
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailTemplateCommand,
  GetEmailIdentityCommand,
  GetEmailTemplateCommand,
  ListEmailIdentitiesCommand,
  ListEmailTemplatesCommand,
  MessageRejected,
  NotFoundException,
  AlreadyExistsException,
  SendEmailCommand,
  TestRenderEmailTemplateCommand,
  UpdateEmailTemplateCommand,
} from '@aws-sdk/client-sesv2';
import { type Harness, failure, inspect, startSes } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };

test('identities: created verified, listed, described, deleted', async () => {
  h = await startSes();
  const created = await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com', Tags: [{ Key: 'team', Value: 'mail' }] }));
  expect(created).toMatchObject({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: true, DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' } });
  expect(created.DkimAttributes!.Tokens).toHaveLength(3);
  await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@other.org' }));
  expect(await failure(h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@other.org' })))).toBeInstanceOf(AlreadyExistsException);
  const got = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }));
  expect(got).toMatchObject({ IdentityType: 'DOMAIN', VerificationStatus: 'SUCCESS', VerifiedForSendingStatus: true, Tags: [{ Key: 'team', Value: 'mail' }] });
  const list = await h.client.send(new ListEmailIdentitiesCommand({ PageSize: 1 }));
  expect(list.EmailIdentities).toEqual([{ IdentityType: 'DOMAIN', IdentityName: 'example.com', SendingEnabled: true, VerificationStatus: 'SUCCESS' }]);
  const next = await h.client.send(new ListEmailIdentitiesCommand({ PageSize: 1, NextToken: list.NextToken }));
  expect(next.EmailIdentities!.map((i) => i.IdentityName)).toEqual(['me@other.org']);
  expect(next.NextToken).toBeUndefined();
  // any address of a verified domain may send
  await h.client.send(new SendEmailCommand({ FromEmailAddress: 'anyone@example.com', Destination: { ToAddresses: ['x@y.net'] }, Content: simple }));
  await h.client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'example.com' }));
  expect(await failure(h.client.send(new SendEmailCommand({ FromEmailAddress: 'anyone@example.com', Destination: { ToAddresses: ['x@y.net'] }, Content: simple })))).toBeInstanceOf(
    MessageRejected,
  );
  const missing = await failure(h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' })));
  expect(missing).toBeInstanceOf(NotFoundException);
  expect(missing.message).toBe('Email identity example.com does not exist.');
});

test('templates: create, get, update, list, render, delete; unknown ones are NotFoundException', async () => {
  h = await startSes();
  await h.client.send(new CreateEmailTemplateCommand({ TemplateName: 'welcome', TemplateContent: { Subject: 'Hi {{name}}', Text: 'Welcome {{name}}' } }));
  expect(await failure(h.client.send(new CreateEmailTemplateCommand({ TemplateName: 'welcome', TemplateContent: { Subject: 's', Text: 't' } })))).toBeInstanceOf(AlreadyExistsException);
  const bad = await failure(h.client.send(new CreateEmailTemplateCommand({ TemplateName: 'broken', TemplateContent: { Subject: '{{#if x}}', Text: 't' } })));
  expect(bad.name).toBe('BadRequestException');
  await h.client.send(new UpdateEmailTemplateCommand({ TemplateName: 'welcome', TemplateContent: { Subject: 'Hello {{name}}', Text: 'Welcome, {{name}}', Html: '<h1>{{name}}</h1>' } }));
  expect((await h.client.send(new GetEmailTemplateCommand({ TemplateName: 'welcome' }))).TemplateContent).toEqual({
    Subject: 'Hello {{name}}',
    Text: 'Welcome, {{name}}',
    Html: '<h1>{{name}}</h1>',
  });
  const listed = await h.client.send(new ListEmailTemplatesCommand({}));
  expect(listed.TemplatesMetadata!.map((t) => t.TemplateName)).toEqual(['welcome']);
  expect(listed.TemplatesMetadata![0]!.CreatedTimestamp).toBeInstanceOf(Date);
  const rendered = await h.client.send(new TestRenderEmailTemplateCommand({ TemplateName: 'welcome', TemplateData: JSON.stringify({ name: 'Zoë' }) }));
  expect(rendered.RenderedTemplate).toContain('Subject: =?UTF-8?B?');
  expect(rendered.RenderedTemplate).toContain(Buffer.from('Welcome, Zoë').toString('base64'));
  await h.client.send(new DeleteEmailTemplateCommand({ TemplateName: 'welcome' }));
  const gone = await failure(h.client.send(new GetEmailTemplateCommand({ TemplateName: 'welcome' })));
  expect(gone).toBeInstanceOf(NotFoundException);
  expect(gone.message).toBe('Template welcome does not exist.');
  expect(await failure(h.client.send(new UpdateEmailTemplateCommand({ TemplateName: 'welcome', TemplateContent: { Subject: 's', Text: 't' } })))).toBeInstanceOf(NotFoundException);
});

test('deploy-time: AWS::SES::EmailIdentity and AWS::SES::Template from their properties, idempotent', async () => {
  h = await startSes();
  expect(h.ses.deployEmailIdentity({ EmailIdentity: 'noreply@shop.example' })).toEqual({ Ref: 'noreply@shop.example', Attributes: {} });
  const domain = h.ses.deployEmailIdentity({ EmailIdentity: 'shop.example' });
  expect(domain.Attributes.DkimDNSTokenName1).toBe('token1._domainkey.shop.example');
  h.ses.deployEmailIdentity({ EmailIdentity: 'shop.example' });
  expect(h.ses.deployTemplate({ Template: { SubjectPart: 'Order {{id}}', TextPart: 'Total {{total}}' } }, { name: 'Stack-OrderTemplate' })).toEqual({ Ref: 'Stack-OrderTemplate' });
  h.ses.deployConfigurationSet({ Name: 'notifications' });
  await h.client.send(
    new SendEmailCommand({
      FromEmailAddress: 'noreply@shop.example',
      Destination: { ToAddresses: ['ann@example.net'] },
      ConfigurationSetName: 'notifications',
      Content: { Template: { TemplateName: 'Stack-OrderTemplate', TemplateData: '{"id":"o-1","total":"12.50 EUR"}' } },
    }),
  );
  expect(h.ses.sentMessages().map((m) => [m.Subject, m.Body?.text_part])).toEqual([['Order o-1', 'Total 12.50 EUR']]);
  expect((await h.client.send(new ListEmailIdentitiesCommand({}))).EmailIdentities).toHaveLength(2);
});

test('the sandbox also wants verified recipients', async () => {
  h = await startSes({ sandbox: true });
  h.ses.deployEmailIdentity({ EmailIdentity: 'shop@example.com' });
  const err = await failure(h.client.send(new SendEmailCommand({ FromEmailAddress: 'shop@example.com', Destination: { ToAddresses: ['ann@example.net'] }, Content: simple })));
  expect(err.message).toBe('Email address is not verified. The following identities failed the check in region US-EAST-1: ann@example.net');
  h.ses.deployEmailIdentity({ EmailIdentity: 'ann@example.net' });
  await h.client.send(new SendEmailCommand({ FromEmailAddress: 'shop@example.com', Destination: { ToAddresses: ['ann@example.net'] }, Content: simple }));
});

test('/_aws/ses filters by id and email, deletes one or all, and everything survives a restart', async () => {
  h = await startSes();
  h.ses.deployEmailIdentity({ EmailIdentity: 'a@example.com' });
  h.ses.deployEmailIdentity({ EmailIdentity: 'b@example.com' });
  h.ses.deployTemplate({ Template: { TemplateName: 't', SubjectPart: 'x', TextPart: 'y' } });
  const ids: string[] = [];
  for (const from of ['a@example.com', 'b@example.com', 'a@example.com']) {
    ids.push((await h.client.send(new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: ['z@example.net'] }, Content: simple }))).MessageId!);
  }
  expect((await inspect(h.url, '?email=a@example.com')).map((m) => m.Id)).toEqual([ids[0], ids[2]]);
  expect((await inspect(h.url, `?id=${ids[1]}`)).map((m) => m.Source)).toEqual(['b@example.com']);
  expect((await fetch(`${h.url}/_aws/ses?id=${ids[0]}`, { method: 'DELETE' })).status).toBe(204);
  await h.restart();
  await h.restart();
  expect((await inspect(h.url)).map((m) => m.Id)).toEqual([ids[1], ids[2]]);
  expect((await h.client.send(new ListEmailIdentitiesCommand({}))).EmailIdentities!.map((i) => i.IdentityName)).toEqual(['a@example.com', 'b@example.com']);
  expect((await h.client.send(new GetEmailTemplateCommand({ TemplateName: 't' }))).TemplateContent!.Subject).toBe('x');
  expect((await fetch(`${h.url}/_aws/ses`, { method: 'DELETE' })).status).toBe(204);
  await h.restart();
  expect(await inspect(h.url)).toEqual([]);
});
