/**
 * The Inventory functions' environment: the names of their variables (the CDK constructs import
 * them) and the reader that the dependency module calls once, at load. Importing this module
 * reads nothing.
 */
import { requiredEnv } from '../shared/config';
import { readOutboxTable } from '../shared/env';

export const INVENTORY_ENV = {
  stockTable: 'STOCK_TABLE',
  reservationsTable: 'RESERVATIONS_TABLE',
} as const;

export interface InventoryConfig {
  stockTable: string;
  reservationsTable: string;
  /** every stock change writes its event here, in the same transaction */
  outboxTable: string;
}

export function readInventoryConfig(): InventoryConfig {
  return {
    stockTable: requiredEnv(INVENTORY_ENV.stockTable),
    reservationsTable: requiredEnv(INVENTORY_ENV.reservationsTable),
    outboxTable: readOutboxTable(),
  };
}
