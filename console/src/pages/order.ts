/**
 * One order: its saga drawn from the ASL definition (DescribeStateMachine) with the path the
 * execution took (GetExecutionHistory), the compensations run and where it failed; each step's
 * input, output, error and time; the order's event-sourced log (Orders API); stop and redrive.
 */
import { api, executionArn, sagaArn, sfn, type ApiError } from '../aws';
import { errorBox, fill, h, ms, pill, pretty, table, time } from '../dom';
import { stateMachineGraph } from '../graph';
import { compensationStates, followHistory, type Asl, type HistoryEvent, type StepRun } from '../saga';

async function history(arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const r = await sfn('GetExecutionHistory', { executionArn: arn, maxResults: 1000, nextToken, includeExecutionData: true });
    events.push(...(r.events as HistoryEvent[]));
    nextToken = r.nextToken;
  } while (nextToken);
  return events;
}

export function order(root: HTMLElement, orderId: string): void {
  root.append(h('p', null, h('a', { href: '#/orders' }, '← Orders')), h('h1', null, 'Order ', h('span', { class: 'mono', id: 'order-id' }, orderId)));
  const body = h('div', null, 'Loading…');
  root.append(body);
  void fill(body, async () => {
    const arn = await executionArn(orderId);
    const [machine, exec, events, summary, log] = await Promise.all([
      sfn('DescribeStateMachine', { stateMachineArn: await sagaArn() }),
      sfn('DescribeExecution', { executionArn: arn }).catch((e: ApiError) => (e.type === 'ExecutionDoesNotExist' ? undefined : Promise.reject(e))),
      history(arn).catch(() => [] as HistoryEvent[]),
      api(`/api/orders/${encodeURIComponent(orderId)}`).catch(() => undefined),
      api(`/api/orders/${encodeURIComponent(orderId)}/events`).catch(() => undefined),
    ]);
    const asl = JSON.parse(machine.definition as string) as Asl;
    const path = followHistory(events);
    const compensations = compensationStates(asl);
    const detail = h('div', { id: 'step-detail' }, h('p', { class: 'muted' }, 'Select a state in the graph or a step below.'));
    const show = (name: string) => {
      const runs = path.steps.filter((s) => s.name === name);
      detail.replaceChildren(h('h2', null, name), runs.length ? h('div', null, runs.map(stepDetail)) : h('p', { class: 'muted' }, 'not run by this execution'));
    };
    const o = summary?.status === 200 ? (summary.body as Record<string, unknown>) : undefined;
    const actions = h('div', { class: 'row', id: 'actions' });
    if (exec) {
      if (exec.status === 'RUNNING') actions.append(h('button', { class: 'danger', id: 'stop', onclick: () => act('StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'stopped from the local console' }) }, 'Stop execution'));
      if (['FAILED', 'TIMED_OUT', 'ABORTED'].includes(exec.status as string)) actions.append(h('button', { class: 'primary', id: 'redrive', onclick: () => act('RedriveExecution', { executionArn: arn }) }, 'Redrive execution'));
      actions.append(h('a', { href: `#/traces?order=${orderId}`, id: 'trace-link' }, 'Traces of this order →'));
    }
    const act = async (op: string, input: unknown) => {
      try {
        await sfn(op, input);
        location.reload();
      } catch (err) {
        actions.append(errorBox(err));
      }
    };
    const failedStep = [...path.steps].reverse().find((s) => s.status === 'failed');
    const ran = path.steps.filter((s) => compensations.has(s.name) && s.status === 'succeeded').map((s) => s.name);
    return [
      h(
        'div',
        { class: 'row' },
        h('div', { class: 'card' }, 'Saga ', exec ? pill(exec.status as string) : pill('no execution', 'idle'), exec ? ` started ${time(exec.startDate as number)}` : '', exec?.stopDate ? `, ended ${time(exec.stopDate as number)}` : ''),
        o ? h('div', { class: 'card', id: 'order-status' }, 'Order ', pill(String(o.status)), ` ${String(o.total ?? '')} ${String(o.currency ?? '')} · user ${String(o.user_id ?? '')}`) : null,
        failedStep ? h('div', { class: 'card', id: 'failed-at' }, 'Failed at ', h('b', null, failedStep.name), `: ${failedStep.error ?? ''}`) : null,
        ran.length ? h('div', { class: 'card', id: 'compensations' }, 'Compensations run: ', ran.join(', ')) : null,
      ),
      actions,
      path.failure ? h('pre', { class: 'err' }, `${path.failure.error ?? ''}\n${path.failure.cause ?? ''}`) : null,
      h('div', { class: 'split', style: 'grid-template-columns: 460px 1fr' }, h('div', { class: 'card', style: 'overflow:auto' }, stateMachineGraph(asl, path, compensations, show)), h('div', null, detail, h('h2', null, 'Steps'), stepsTable(path.steps, show))),
      h('h2', null, 'Event-sourced log'),
      log?.status === 200
        ? table(
            ['#', 'type', 'at', 'data'],
            ((log.body as { events: Array<{ version?: number; sequence?: number; type: string; timestamp?: string; occurred_at?: string; data: unknown }> }).events ?? []).map((e, i) => ({
              cells: [String(e.version ?? e.sequence ?? i + 1), h('b', null, e.type), time(e.timestamp ?? e.occurred_at), h('details', null, h('summary', null, 'data'), h('pre', null, pretty(e.data)))],
            })),
            'no events',
          )
        : h('p', { class: 'muted' }, `the Orders API answered ${log?.status ?? 'nothing'}`),
    ];
  });
}

function stepsTable(steps: StepRun[], show: (name: string) => void): HTMLElement {
  return table(
    ['state', 'status', 'entered', 'time'],
    steps.map((s) => ({
      cells: [s.name, pill(s.status, s.status === 'succeeded' ? 'ok' : s.status === 'failed' ? 'bad' : 'run'), time(s.entered), s.exited ? ms(s.exited - s.entered) : ''],
      onclick: () => show(s.name),
      attrs: { 'data-step': s.name, 'data-status': s.status },
    })),
    'no steps',
  );
}

function stepDetail(s: StepRun): HTMLElement {
  return h(
    'div',
    { class: 'card', style: 'margin-bottom:8px' },
    h('div', null, pill(s.status, s.status === 'succeeded' ? 'ok' : s.status === 'failed' ? 'bad' : 'run'), ` ${s.type} · ${time(s.entered)}${s.exited ? ` · ${ms(s.exited - s.entered)}` : ''}${s.attempts ? ` · ${s.attempts} retries` : ''}`),
    s.error ? h('div', null, h('b', { class: 'err' }, 'Error '), h('span', { class: 'mono' }, s.error), s.cause ? h('pre', null, pretty(s.cause)) : null) : null,
    h('details', { open: true }, h('summary', null, 'Input'), h('pre', null, pretty(s.input ?? ''))),
    h('details', { open: !!s.output }, h('summary', null, 'Output'), h('pre', null, pretty(s.output ?? ''))),
  );
}
