/**
 * The write model on DynamoDB: one item per product id (deleted products stay as tombstones,
 * keeping their revision), written together with its event in one TransactWriteItems: the
 * product Put (conditioned on the revision read before) and the outbox Put (conditioned on the
 * event id being new). So a change and its event are never split, and a change derived from
 * another event is applied once even when that event is handled twice.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { outboxPut } from '../../../shared/events/outbox';
import { EventAlreadyRecordedError, StaleProductError } from '../../domain/errors';
import type { Expected, ProductRepository } from '../../domain/ports';
import type { Product } from '../../domain/product';

/** The stored item (snake_case attribute names, as every table of the platform). */
interface ProductItem {
  product_id: string;
  name: string;
  description: string;
  price_minor: number;
  currency: string;
  category: string;
  brand?: string;
  stock: number;
  stock_version: number;
  tags: string[];
  images: string[];
  attributes: Record<string, string>;
  featured: boolean;
  popularity: number;
  version: number;
  revision: number;
  created_at: string;
  updated_at: string;
  deleted: boolean;
  deleted_at?: string;
}

export function toItem(p: Product): ProductItem {
  return {
    product_id: p.productId,
    name: p.name,
    description: p.description,
    price_minor: p.priceMinor,
    currency: p.currency,
    category: p.category,
    brand: p.brand,
    stock: p.stock,
    stock_version: p.stockVersion,
    tags: p.tags,
    images: p.images,
    attributes: p.attributes,
    featured: p.featured,
    popularity: p.popularity,
    version: p.version,
    revision: p.revision,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    deleted: p.deleted,
    deleted_at: p.deletedAt,
  };
}

export function fromItem(i: ProductItem): Product {
  return {
    productId: i.product_id,
    name: i.name,
    description: i.description ?? '',
    priceMinor: i.price_minor,
    currency: i.currency,
    category: i.category,
    brand: i.brand,
    stock: i.stock ?? 0,
    stockVersion: i.stock_version ?? 0,
    tags: i.tags ?? [],
    images: i.images ?? [],
    attributes: i.attributes ?? {},
    featured: i.featured ?? false,
    popularity: i.popularity ?? 0,
    version: i.version,
    revision: i.revision,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    deleted: i.deleted ?? false,
    deletedAt: i.deleted_at,
  };
}

export class DynamoDbProductRepository implements ProductRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly productsTable: string,
    /** undefined for a reader (the query function), which never saves */
    private readonly outboxTable: string | undefined,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    // Empty lists and maps are kept (DynamoDB stores them); undefined attributes are dropped.
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(productId: string): Promise<Product | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.productsTable, Key: { product_id: productId }, ConsistentRead: true }));
    return out.Item ? fromItem(out.Item as ProductItem) : undefined;
  }

  async save(product: Product, expected: Expected, event: EventEnvelope): Promise<void> {
    if (!this.outboxTable) throw new Error('this product repository is read-only (no outbox table)');
    const condition =
      'absent' in expected
        ? { ConditionExpression: 'attribute_not_exists(product_id)' }
        : { ConditionExpression: 'revision = :rev', ExpressionAttributeValues: { ':rev': expected.revision } };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: this.productsTable, Item: toItem(product), ...condition } }, outboxPut(this.outboxTable, event)],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [productReason, outboxReason] = err.CancellationReasons ?? [];
      if (outboxReason?.Code === 'ConditionalCheckFailed') throw new EventAlreadyRecordedError(event.id);
      // A lost condition, or a transaction racing another on the same item: read again and retry.
      if (productReason?.Code === 'ConditionalCheckFailed' || productReason?.Code === 'TransactionConflict') {
        throw new StaleProductError(product.productId);
      }
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.productsTable, Key: { product_id: '__health__' } }));
  }
}
