/** Events: the broker's topics (partitions, offsets), consumer groups with their lag, a topic's tail, one message's envelope. */
import { getJson } from '../aws';
import { fill, h, pill, pretty, table, time } from '../dom';

interface Overview {
  topics: Array<{ name: string; partitions: Array<{ partition: number; low: number; high: number }> }>;
  groups: Array<{ group_id: string; state: string; lag: number; topics: Array<{ topic: string; lag: number; partitions: Array<{ partition: number; committed: number; high: number; lag: number }> }> }>;
}
interface Message {
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

export function events(root: HTMLElement, params: URLSearchParams): void {
  const topic = params.get('topic');
  const topics = h('div', { id: 'topics' }, 'Loading…');
  const groups = h('div', { id: 'groups' }, 'Loading…');
  const tail = h('div', { id: 'tail' });
  root.append(h('h1', null, 'Events'), h('div', { class: 'split' }, h('div', null, h('h2', null, 'Topics'), topics), h('div', null, h('h2', null, 'Consumer groups'), groups)), tail);
  void getJson<Overview>('/_local/kafka/topics').then(
    (o) => {
      void fill(topics, async () =>
        table(
          ['topic', 'partitions', 'messages', 'end offsets'],
          o.topics.map((t) => ({
            cells: [h('b', null, t.name), String(t.partitions.length), String(t.partitions.reduce((s, p) => s + p.high - p.low, 0)), h('span', { class: 'mono small' }, t.partitions.map((p) => p.high).join(' · '))],
            onclick: () => (location.hash = `#/events?topic=${encodeURIComponent(t.name)}`),
            attrs: { 'data-topic': t.name },
          })),
          'no topics',
        ),
      );
      void fill(groups, async () =>
        table(
          ['group', 'state', 'topic', 'lag'],
          o.groups.flatMap((g) =>
            (g.topics.length ? g.topics : [{ topic: '', lag: 0, partitions: [] }]).map((t) => ({
              cells: [h('span', { class: 'mono small' }, g.group_id), pill(g.state, g.state), t.topic, h('b', { class: t.lag ? 'err' : '' }, String(t.lag))],
              attrs: { 'data-group': g.group_id, title: t.partitions.map((p) => `p${p.partition}: committed ${p.committed}, end ${p.high}`).join('\n') },
            })),
          ),
          'no consumer groups',
        ),
      );
    },
    (err: Error) => {
      topics.replaceChildren(h('p', { class: 'err' }, err.message));
      groups.replaceChildren();
    },
  );
  if (topic) {
    const detail = h('div', { id: 'envelope' });
    const list = h('div', null, 'Reading…');
    tail.append(h('h2', null, `Tail of ${topic} (last 20 of each partition)`), h('div', { class: 'split' }, list, detail));
    void fill(list, async () => {
      const { messages } = await getJson<{ messages: Message[] }>(`/_local/kafka/messages?topic=${encodeURIComponent(topic)}&limit=20`);
      const show = (m: Message) => detail.replaceChildren(h('div', { class: 'card' }, h('h2', null, `${topic} · partition ${m.partition} · offset ${m.offset}`), h('p', { class: 'small' }, `key ${m.key ?? '(none)'} · ${time(m.timestamp)}`), h('b', null, 'Headers'), h('pre', null, pretty(m.headers)), h('b', null, 'Envelope'), h('pre', null, pretty(m.value ?? ''))));
      if (messages.length) show(messages[messages.length - 1]!);
      return table(
        ['p', 'offset', 'type', 'key', 'at'],
        [...messages].reverse().map((m) => {
          let type = m.headers.event_type ?? '';
          try {
            type ||= (JSON.parse(m.value ?? '{}') as { type?: string }).type ?? '';
          } catch {
            /* not JSON */
          }
          return { cells: [String(m.partition), String(m.offset), type, h('span', { class: 'mono small' }, m.key ?? ''), time(m.timestamp)], onclick: () => show(m) };
        }),
        'the topic is empty',
      );
    });
  }
}
