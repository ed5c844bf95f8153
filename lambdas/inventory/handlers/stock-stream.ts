/**
 * Announces stock levels: fed by the stock table's stream, it publishes
 * inventory.stock.changed for every new version of a record, and inventory.stock.low when a
 * product falls to its threshold. The stream is the outbox here (the change is the one write);
 * event ids come from the record version, so a retried batch publishes the same ids and
 * consumers drop the repeats.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { readKafkaSettings } from '../../shared/env';
import { kafkaPublisher } from '../../shared/events/kafka';
import { METRICS } from '../../shared/metric-names';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { streamHandler } from '../../shared/stream';
import { toStock, type StockRecord } from '../adapters/dynamodb/stock-records';
import { stockLevelEvents } from '../domain/events';
import type { StockItem } from '../domain/stock';

const kafka = kafkaPublisher(readKafkaSettings());

const toItem = (image: Record<string, unknown> | undefined): StockItem | undefined =>
  image ? toStock(unmarshall(image as Record<string, AttributeValue>) as StockRecord) : undefined;

export async function publishStockLevels(event: DynamoDBStreamEvent): Promise<void> {
  const events = event.Records.flatMap((r) => {
    const after = toItem(r.dynamodb?.NewImage as Record<string, unknown> | undefined);
    return after ? stockLevelEvents(toItem(r.dynamodb?.OldImage as Record<string, unknown> | undefined), after) : [];
  });
  await kafka.publish(events); // throws on failure: the whole batch is retried, same ids
  // the level of each product after the batch (the original's inventory_level{product_id} gauge)
  const levels = new Map<string, number>();
  for (const r of event.Records) {
    const after = toItem(r.dynamodb?.NewImage as Record<string, unknown> | undefined);
    if (after) levels.set(after.productId, after.available);
  }
  for (const [productId, available] of levels) {
    const m = metrics.singleMetric();
    m.addDimension('product_id', productId);
    m.addMetric(METRICS.inventoryLevel.name, MetricUnit.Count, available);
  }
  const low = events.filter((e) => e.type === 'inventory.stock.low').length;
  if (low) metrics.addMetric('LowStockAlerts', MetricUnit.Count, low);
  logger.debug('stock levels published', { events: events.length });
}

export const handler = streamHandler(publishStockLevels);
