/** Wires the inventory adapters from configuration, once per execution environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requiredEnv } from '../shared/config';
import { tracer } from '../shared/powertools';
import { DynamoDbStockRepository } from './adapters/dynamodb-stock-repository';

const client = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const stockRepository = new DynamoDbStockRepository(requiredEnv('STOCK_TABLE'), requiredEnv('RESERVATIONS_TABLE'), client, requiredEnv('OUTBOX_TABLE'));
