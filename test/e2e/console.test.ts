/**
 * The console in a real browser (chromium through playwright-core): two orders placed through the
 * API, one confirmed and one declined by the payment provider's test card, then checked as a
 * person would check them: the declined order's saga graph marks the payment step failed and the
 * release step run, its trace is found by the order id and shows the task functions, the confirmed
 * order's email is shown. With CONSOLE_SCREENSHOTS=1 (`npm run screenshots`) the main pages are
 * written to docs/console-*.png as well.
 */
import { ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { awsClientConfig, call, endpoints, uniqueId } from '../support/local-cloud';
import { newCustomer, type Customer } from '../support/notifications';
import { orderableProduct, orderReaches } from '../support/orders';
import { CARDS } from '../support/payments';
import { eventually } from '../support/poll';

const SHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs') : undefined;

let browser: Browser;
let page: Page;
let customer: Customer;
let confirmed: string;
let declined: string;

async function place(card: string): Promise<string> {
  const res = await call('/api/orders', { method: 'POST', body: { user_id: customer.user_id, items: [{ product_id: productId, quantity: 1 }], payment_method: { card_number: card } } });
  if (res.status !== 202) throw new Error(`placing an order: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.order_id as string;
}

let productId: string;
const consoleUrl = () => endpoints().console_url;

async function open(hash: string): Promise<void> {
  await page.goto(`${consoleUrl()}#/${hash}`);
}

async function shot(name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: false });
}

beforeAll(async () => {
  // the saga's task functions started once first: on this shared machine a cold start can pass a task's 10 s timeout
  const lambda = new LambdaClient(awsClientConfig());
  await Promise.all(
    endpoints()
      .functions.filter((f) => /(Orders|Payments|Inventory)TasksFn/.test(f))
      .map((f) => lambda.send(new InvokeCommand({ FunctionName: f, Payload: Buffer.from(JSON.stringify({ action: 'warm-up' })) }))),
  ).finally(() => lambda.destroy());
  [customer, productId] = await Promise.all([newCustomer('console'), orderableProduct({ price: 42, stock: 50, name: 'Console test lamp' })]);
  [confirmed, declined] = await Promise.all([place(CARDS.approve), place(CARDS.declined)]);
  // at their ends: CONFIRMED lasts only until the next step commits the stock (COMPLETED), so a poll
  // every 100 ms can miss it altogether
  await Promise.all([orderReaches(confirmed, ['COMPLETED'], 60_000), orderReaches(declined, ['CANCELLED'], 60_000)]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the console', () => {
  it('serves the app from the edge, small, and lists the last orders on the first page', async () => {
    const res = await fetch(`${endpoints().edge_url}/_console/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeLessThan(300 * 1024);
    await open('');
    await page.locator('#last-orders a', { hasText: declined }).waitFor();
    await page.locator('[data-health="orders"] .pill.ok').waitFor();
    await page.locator('[data-metric="Total orders created"]').waitFor();
    await shot('overview');
  });

  it("draws the declined order's saga: the payment step failed, the release step run", async () => {
    await open(`orders/${declined}`);
    const payment = page.locator('[data-state="TakePayment"]');
    await payment.waitFor();
    expect(await payment.getAttribute('data-status')).toBe('failed');
    expect(await page.locator('[data-state="ReleaseInventory"]').getAttribute('data-status')).toBe('compensation');
    expect(await page.locator('[data-state="ConfirmOrder"]').getAttribute('data-status')).toBe('idle');
    expect(await page.locator('[data-edge="TakePayment->PaymentFailed"]').getAttribute('data-taken')).toBe('true');
    await expect(page.locator('#failed-at').innerText()).resolves.toContain('TakePayment: PaymentDeclinedError');
    await expect(page.locator('#compensations').innerText()).resolves.toContain('ReleaseInventory');
    // the step's detail: its error and input
    await payment.click();
    await expect(page.locator('#step-detail').innerText()).resolves.toMatch(/PaymentDeclinedError[\s\S]*card declined/);
    // the event-sourced log from the Orders API
    await page.getByText('OrderCancelled', { exact: true }).waitFor();
    await shot('order');
  });

  it('finds the declined order’s trace by its order id, with the task functions in the waterfall', async () => {
    const functions = endpoints().functions;
    const tasks = functions.filter((f) => /tasks/i.test(f) && /payments|inventory/i.test(f));
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    // as a person would: search by the order id, then open the traces found until one shows the saga's tasks
    await eventually('a trace of the declined order with its task functions', async () => {
      await open(`traces?order=${declined}`);
      await page.locator('#trace-list table, #trace-list p').first().waitFor();
      const found = page.locator('#trace-list [data-trace]');
      for (let i = 0; i < (await found.count()); i++) {
        await found.nth(i).click();
        const traceId = await found.nth(i).getAttribute('data-trace');
        await page.locator('#trace-id', { hasText: traceId! }).waitFor();
        const names = await page.locator('#waterfall [data-segment]').evaluateAll((els) => els.map((e) => e.getAttribute('data-segment')));
        if (tasks.every((t) => names.includes(t))) return names;
      }
      return undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    await page.locator('#service-map svg').waitFor();
    await shot('traces');
  });

  it("shows the confirmed order's email, rendered", async () => {
    await eventually('the confirmation email', async () => {
      const r = await fetch(`${endpoints().edge_url}/_aws/ses`);
      const { messages } = (await r.json()) as { messages: Array<{ Destination?: { ToAddresses?: string[] }; Subject?: string }> };
      return messages.find((m) => m.Destination?.ToAddresses?.includes(customer.email) && /confirm/i.test(m.Subject ?? ''));
    }, { timeoutMs: 60_000 });
    await open('messages');
    const row = page.locator('#emails tr', { hasText: customer.email }).filter({ hasText: /confirm/i });
    await row.first().click();
    const mail = page.frameLocator('iframe.mail');
    await expect(mail.locator('body').innerText()).resolves.toContain(confirmed);
    await shot('messages');
  });

  it('redrives a batch kept in the on-failure queue: the function runs it again and the message goes', async () => {
    const sqs = new SQSClient(awsClientConfig());
    try {
      // the event source mappings' on-failure destination (not its overflow)
      const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'EcommerceStateless-EventsFailures' }))).QueueUrls ?? [];
      const queueUrl = queues.find((q) => !/Overflow/.test(q))!;
      const queueName = queueUrl.split('/').pop()!;
      const fn = endpoints().functions.find((f) => /CatalogSignals/.test(f))!;
      // an invocation record as the event source mapping writes it (local/esm), with an empty batch
      const marker = uniqueId('console-redrive');
      const record = { version: '1.0', mapping: marker, requestContext: { functionArn: fn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }, event: { eventSource: 'aws:kafka', records: {} } };
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }));
      await open(`failures?queue=${queueName}`);
      const row = page.locator('#queue-messages tr', { hasText: marker });
      await row.getByRole('button', { name: 'Redrive' }).click();
      await row.getByText('redriven ✓').waitFor();
      // the message is gone from the queue (others, from the run's real failures, may stay)
      const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      expect((left.Messages ?? []).filter((m) => m.Body?.includes(marker))).toEqual([]);
    } finally {
      sqs.destroy();
    }
  });

  it('shows the topics and consumer groups, the failure queues and the API page', async () => {
    await open('events');
    await page.locator('[data-topic="order-events"]').waitFor();
    await page.locator('[data-group]').first().waitFor();
    await page.locator('[data-topic="order-events"]').click();
    await page.locator('#envelope pre').first().waitFor({ timeout: 30_000 });
    await shot('events');
    await open('failures');
    await page.locator('[data-queue]').first().waitFor();
    await shot('failures');
    await open('api');
    await page.locator('#api-console button.primary').click();
    await page.locator('#api-console pre').waitFor();
    await shot('api');
  });
});
