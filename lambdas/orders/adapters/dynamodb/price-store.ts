/**
 * Orders' price list on DynamoDB (`orderPrices`, keyed by product_id): one item per product as the
 * last catalog event left it. A write is conditioned on a newer version, so a redelivered or
 * late event never brings an old price back; deleted products stay as tombstones (deleted: true),
 * keeping their version for the same reason.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { PriceStore, PriceWrite } from '../../domain/ports';
import type { PriceEntry } from '../../domain/pricing';

interface PriceItem {
  product_id: string;
  name: string;
  price_minor: number;
  currency: string;
  version: number;
  deleted: boolean;
  updated_at: string;
}

const toItem = (e: PriceEntry): PriceItem => ({
  product_id: e.productId,
  name: e.name,
  price_minor: e.priceMinor,
  currency: e.currency,
  version: e.version,
  deleted: e.deleted,
  updated_at: e.updatedAt,
});

const fromItem = (i: PriceItem): PriceEntry => ({
  productId: i.product_id,
  name: i.name,
  priceMinor: i.price_minor,
  currency: i.currency,
  version: i.version,
  deleted: i.deleted,
  updatedAt: i.updated_at,
});

/** BatchGetItem takes at most 100 keys; an order has at most 50 lines. */
const BATCH = 100;
const MAX_ROUNDS = 8;

export class DynamoDbPriceStore implements PriceStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly table: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async getMany(productIds: readonly string[]): Promise<Map<string, PriceEntry>> {
    const found = new Map<string, PriceEntry>();
    const ids = [...new Set(productIds)];
    for (let i = 0; i < ids.length; i += BATCH) {
      let keys: Array<Record<string, unknown>> | undefined = ids.slice(i, i + BATCH).map((id) => ({ product_id: id }));
      // Unprocessed keys (throttling) are asked again, a bounded number of times.
      for (let round = 0; keys?.length && round < MAX_ROUNDS; round++) {
        const out: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of (out.Responses?.[this.table] ?? []) as PriceItem[]) found.set(item.product_id, fromItem(item));
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
      if (keys?.length) throw new Error(`prices of ${keys.length} products could not be read`);
    }
    return found;
  }

  async put(entry: PriceEntry): Promise<PriceWrite> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(entry),
          ConditionExpression: 'attribute_not_exists(product_id) OR #v < :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': entry.version },
        }),
      );
      return 'applied';
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return 'stale';
      throw err;
    }
  }
}
