/** Messages: what the customers received: emails (rendered) from SES, SMS and push from SNS (LocalStack's inspection endpoints). */
import { getJson } from '../aws';
import { fill, h, pretty, table, time } from '../dom';

interface Email {
  Id: string;
  Source?: string;
  Destination?: { ToAddresses?: string[] };
  Subject?: string;
  Body?: { text_part: string | null; html_part: string | null };
  Timestamp?: string;
  RawData?: string;
}

export function messages(root: HTMLElement, params: URLSearchParams): void {
  const emails = h('div', { id: 'emails' }, 'Loading…');
  const viewer = h('div', { id: 'email-view' });
  const sms = h('div', { id: 'sms' }, 'Loading…');
  const push = h('div', { id: 'push' }, 'Loading…');
  root.append(h('h1', null, 'Messages'), h('h2', null, 'Emails (SES)'), h('div', { class: 'split' }, emails, viewer), h('div', { class: 'split' }, h('div', null, h('h2', null, 'SMS (SNS)'), sms), h('div', null, h('h2', null, 'Push (SNS platform endpoints)'), push)));
  const wanted = params.get('id');
  void fill(emails, async () => {
    const { messages: list } = await getJson<{ messages: Email[] }>('/_aws/ses');
    const newest = [...list].reverse();
    const show = (m: Email) => {
      const frame = h('iframe', { class: 'mail', sandbox: '', title: m.Subject ?? 'email' }) as HTMLIFrameElement;
      frame.srcdoc = m.Body?.html_part ?? `<pre style="white-space:pre-wrap;font:13px system-ui">${(m.Body?.text_part ?? m.RawData ?? '').replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`;
      viewer.replaceChildren(h('div', { class: 'card' }, h('div', null, h('b', null, m.Subject ?? '(no subject)')), h('div', { class: 'small muted' }, `from ${m.Source ?? ''} to ${(m.Destination?.ToAddresses ?? []).join(', ')} · ${time(m.Timestamp)}`), frame));
    };
    const first = newest.find((m) => m.Id === wanted) ?? newest[0];
    if (first) show(first);
    return table(
      ['to', 'subject', 'sent'],
      newest.slice(0, 200).map((m) => ({ cells: [(m.Destination?.ToAddresses ?? []).join(', '), m.Subject ?? '', time(m.Timestamp)], onclick: () => show(m), attrs: { 'data-email': m.Id } })),
      'no emails sent yet',
    );
  });
  void fill(sms, async () => {
    const r = await getJson<{ sms_messages: Record<string, Array<{ Message: string; PhoneNumber: string; SenderId?: string; Timestamp?: string }>> }>('/_aws/sns/sms-messages');
    const all = Object.values(r.sms_messages).flat().reverse();
    return table(['to', 'text'], all.slice(0, 200).map((m) => ({ cells: [m.PhoneNumber, m.Message] })), 'no SMS sent yet');
  });
  void fill(push, async () => {
    const r = await getJson<{ platform_endpoint_messages: Record<string, Array<{ Message: string; TargetArn: string; Subject?: string }>> }>('/_aws/sns/platform-endpoint-messages');
    const all = Object.values(r.platform_endpoint_messages).flat().reverse();
    return table(['device', 'notification'], all.slice(0, 200).map((m) => ({ cells: [h('span', { class: 'mono small' }, m.TargetArn.split('/').pop() ?? ''), h('pre', null, pretty(m.Message))] })), 'no push notifications sent yet');
  });
}
