// Malformed input to every SES v2 route: always a 4xx with the error header and `{"message"}`,
// never a 5xx.
import { ROUTES } from '../../../../local/ses/registry';
import { type Harness, startSes } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSes();
  h.ses.deployEmailIdentity({ EmailIdentity: 'shop@example.com' });
  h.ses.deployTemplate({ Template: { TemplateName: 't', SubjectPart: '{{a}}', TextPart: 'x' } });
});
afterAll(async () => {
  await h.stop();
});

const junk: unknown[] = [null, 5, 'x', [], {}, [null], [{}], { Data: 5 }, '\u0000'];
const fields = ['Content', 'FromEmailAddress', 'Destination', 'ReplyToAddresses', 'EmailTags', 'ConfigurationSetName', 'EmailIdentity', 'Tags', 'TemplateName', 'TemplateContent', 'TemplateData', 'DefaultContent', 'BulkEmailEntries', 'PageSize', 'NextToken'];
const base = {
  FromEmailAddress: 'shop@example.com',
  Destination: { ToAddresses: ['a@example.net'] },
  Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
  DefaultContent: { Template: { TemplateName: 't', TemplateData: '{"a":1}' } },
  BulkEmailEntries: [{ Destination: { ToAddresses: ['a@example.net'] } }],
};

test('no body makes any SES route answer 5xx', async () => {
  const bad: string[] = [];
  const contents: unknown[] = [
    { Simple: { Subject: null, Body: { Text: { Data: 5 } } } },
    { Simple: { Subject: { Data: 's' }, Body: null } },
    { Raw: { Data: 5 } },
    { Raw: { Data: '!!!' } },
    { Template: { TemplateName: 5 } },
    { Template: { TemplateName: 't', TemplateData: '[' } },
    { Template: { TemplateContent: { Subject: '{{#if}}' } } },
  ];
  for (const r of ROUTES) {
    const path = r.path.replace('{EmailIdentity}', 'shop@example.com').replace('{TemplateName}', 't').replace('{ConfigurationSetName}', 'cs');
    const variants: unknown[] = [{}, ...fields.flatMap((f) => junk.map((j) => ({ ...base, [f]: j }))), ...contents.map((c) => ({ ...base, Content: c })), '[1', 'null'];
    for (const v of variants) {
      const res = await fetch(`${h.url}${path}`, { method: r.method, headers: { 'content-type': 'application/json' }, body: r.method === 'GET' ? undefined : typeof v === 'string' ? v : JSON.stringify(v) });
      const text = await res.text();
      if (res.status >= 500) bad.push(`${r.name} ${JSON.stringify(v)} => ${res.status} ${text}`);
      else if (res.status >= 400 && (!res.headers.get('x-amzn-errortype') || !/^\{"message":/.test(text))) bad.push(`${r.name} ${JSON.stringify(v)} => off-shape ${text}`);
    }
  }
  expect(bad).toEqual([]);
}, 60_000);
