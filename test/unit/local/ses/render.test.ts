// Template rendering (Handlebars, as SES) and raw-message header parsing: pure functions.
import { parseRawHeaders, splitAddresses } from '../../../../local/ses/mime';
import { RenderingFailure, parseTemplateData, render } from '../../../../local/ses/render';

test('variables, nested paths, sections; HTML escaped only in the HTML part', () => {
  const r = render(
    { subject: '{{a.b}} & more', text: '{{#each xs}}{{this}},{{/each}}{{#unless no}}!{{/unless}}', html: '<i>{{v}}</i>{{{raw}}}' },
    { a: { b: 'A<B' }, xs: [1, 2], v: '<x>', raw: '<b>r</b>' },
  );
  expect(r).toEqual({ subject: 'A<B & more', text: '1,2,!', html: '<i>&lt;x&gt;</i><b>r</b>' });
});

test('a missing variable is a rendering failure in SES words; inside #if it is just false', () => {
  expect(() => render({ text: 'Hi {{name}}' }, {})).toThrow(new RenderingFailure("Attribute 'name' is not present in the rendering data."));
  expect(render({ text: '{{#if vip}}VIP{{else}}regular{{/if}}' }, {})).toEqual({ subject: undefined, text: 'regular', html: undefined });
});

test('template data must be a JSON object', () => {
  expect(parseTemplateData('{"a":1}')).toEqual({ a: 1 });
  expect(parseTemplateData(undefined)).toEqual({});
  expect(() => parseTemplateData('[1]')).toThrow('Invalid template data');
  expect(() => parseTemplateData('{')).toThrow('Invalid template data');
});

test('raw headers: folded lines, encoded words, address lists with quoted commas', () => {
  const h = parseRawHeaders('From: =?UTF-8?Q?Caf=C3=A9?= <c@x.com>\r\nTo: a@x.com,\r\n\t"B, b" <b@x.com>\r\nCc: c@x.com\r\nSubject: Hi\r\n\r\nTo: not-a-header@x.com');
  expect(h).toEqual({ from: 'Café <c@x.com>', to: ['a@x.com', '"B, b" <b@x.com>'], cc: ['c@x.com'], bcc: [], subject: 'Hi' });
  expect(splitAddresses('a@x, <b@y>,,c@z')).toEqual(['a@x', '<b@y>', 'c@z']);
});
