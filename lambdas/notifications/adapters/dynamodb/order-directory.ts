/**
 * OrderDirectory on DynamoDB: Notifications' own projection of whose each order is, from the
 * order events, kept 90 days (refunds come within days of an order), for payment events that
 * do not name the user.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderContact } from '../../domain/events';
import type { OrderDirectory } from '../../domain/ports';

const RETENTION_SECONDS = 90 * 24 * 3600;

export class DynamoDbOrderDirectory implements OrderDirectory {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly table: string, client: DynamoDBClient) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async remember(contact: OrderContact, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...contact, updated_at: at, expires_at: Math.floor(Date.parse(at) / 1000) + RETENTION_SECONDS },
      }),
    );
  }

  async find(orderId: string): Promise<OrderContact | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { order_id: orderId } }));
    if (!out.Item) return undefined;
    const { order_id, user_id, currency } = out.Item as OrderContact;
    return { order_id, user_id, ...(currency ? { currency } : {}) };
  }
}
