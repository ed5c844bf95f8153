/**
 * Failures: the SQS queues (on-failure destinations and dead-letter queues) with their messages,
 * read without taking them (VisibilityTimeout 0); an event source mapping's on-failure record is
 * redriven by invoking its function again with the batch it kept (Lambda Invoke) and then deleted.
 */
import { invokeLambda, sqs } from '../aws';
import { errorBox, fill, h, pretty, table } from '../dom';

export function failures(root: HTMLElement, params: URLSearchParams): void {
  const queues = h('div', { id: 'queues' }, 'Loading…');
  const msgs = h('div', { id: 'queue-messages' });
  root.append(h('h1', null, 'Failures'), h('p', { class: 'muted' }, 'On-failure destinations and dead-letter queues: batches the platform gave up on, kept for a redrive.'), queues, msgs);
  const selected = params.get('queue');
  void fill(queues, async () => {
    const urls = ((await sqs('ListQueues', { MaxResults: 1000 })).QueueUrls ?? []) as string[];
    const rows = await Promise.all(
      urls.map(async (url) => {
        const a = ((await sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })).Attributes ?? {}) as Record<string, string>;
        return { url, name: url.split('/').pop()!, visible: Number(a.ApproximateNumberOfMessages ?? 0), inflight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
      }),
    );
    rows.sort((a, b) => Number(/fail|dlq|dead/i.test(b.name)) - Number(/fail|dlq|dead/i.test(a.name)) || b.visible - a.visible);
    const pick = rows.find((r) => r.name === selected);
    if (pick) void fill(msgs, () => queueMessages(pick.url, pick.name));
    return table(
      ['queue', 'messages', 'in flight'],
      rows.map((r) => ({ cells: [h('b', null, r.name), h('b', { class: r.visible ? 'err' : '' }, String(r.visible)), String(r.inflight)], onclick: () => (location.hash = `#/failures?queue=${encodeURIComponent(r.name)}`), attrs: { 'data-queue': r.name } })),
      'no queues',
    );
  });
}

async function queueMessages(url: string, name: string): Promise<HTMLElement> {
  const r = await sqs('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] });
  const list = (r.Messages ?? []) as Array<{ MessageId: string; ReceiptHandle: string; Body: string; Attributes?: Record<string, string> }>;
  return h(
    'div',
    null,
    h('h2', null, `${name}: ${list.length ? `the first ${list.length} messages` : 'empty'}`),
    table(
      ['message', 'what failed', ''],
      list.map((m) => {
        let record: { requestContext?: { functionArn?: string; condition?: string }; event?: unknown; error?: unknown; source?: string } = {};
        try {
          record = JSON.parse(m.Body) as typeof record;
        } catch {
          /* not an invocation record */
        }
        const fn = record.requestContext?.functionArn;
        const out = h('span');
        const redrive = async () => {
          try {
            await invokeLambda(fn!, record.event);
            await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
            out.replaceChildren('redriven ✓');
          } catch (err) {
            out.replaceChildren(errorBox(err));
          }
        };
        return {
          cells: [
            h('span', { class: 'mono small' }, m.MessageId),
            h('div', null, fn ? h('div', null, `${fn} · ${record.requestContext?.condition ?? ''}`) : null, h('details', null, h('summary', null, 'body'), h('pre', null, pretty(m.Body)))),
            h('div', null, fn && record.event ? h('button', { class: 'primary', onclick: redrive }, 'Redrive') : null, ' ', h('button', { onclick: async () => (await sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle }), out.replaceChildren('deleted')) }, 'Delete'), out),
          ],
        };
      }),
      'no messages',
    ),
  );
}
