/**
 * PaymentRepository on DynamoDB: one item per payment (key payment_id; the by_order index lists
 * an order's payment for operators). Every change is a Put conditional on the version and status
 * it was planned from, so two callers cannot both capture, and a refund cannot land on a payment
 * that is no longer captured; a change that is announced writes its event to the outbox in the
 * same TransactWriteItems.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { outboxPut } from '../../../shared/events/outbox';
import type { Payment } from '../../domain/payment';
import type { PaymentRepository } from '../../domain/ports';
import { paymentRecord, toPayment, type PaymentRecord } from './payment-records';

export class DynamoDbPaymentRepository implements PaymentRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly table: string,
    private readonly outboxTable: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { payment_id: paymentId }, ConsistentRead: true }));
    return out.Item ? toPayment(out.Item as PaymentRecord) : undefined;
  }

  async save(next: Payment, expected: Pick<Payment, 'version' | 'status'> | undefined, event?: EventEnvelope): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: paymentRecord(next),
      ...(expected
        ? {
            ConditionExpression: '#v = :v AND #s = :s',
            ExpressionAttributeNames: { '#v': 'version', '#s': 'status' },
            ExpressionAttributeValues: { ':v': expected.version, ':s': expected.status },
          }
        : { ConditionExpression: 'attribute_not_exists(payment_id)' }),
    };
    try {
      if (event) await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, outboxPut(this.outboxTable, event)] }));
      else await this.doc.send(new PutCommand(put));
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      // a condition that failed, or another transaction on the same item at the same moment: the caller reads again
      if (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return false;
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.table, Key: { payment_id: '__health__' } }));
  }
}
