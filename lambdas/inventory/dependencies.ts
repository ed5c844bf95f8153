/** Wires the inventory adapters from configuration, read once per execution environment, when a handler module loads. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tracer } from '../shared/powertools';
import { DynamoDbStockRepository } from './adapters/dynamodb/stock-repository';
import { readInventoryConfig } from './env';

const config = readInventoryConfig();

const client = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const stockRepository = new DynamoDbStockRepository(config.stockTable, config.reservationsTable, client, config.outboxTable);
