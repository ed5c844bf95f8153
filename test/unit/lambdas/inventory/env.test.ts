import { INVENTORY_ENV, readInventoryConfig } from '../../../../lambdas/inventory/env';
import { EVENTS_ENV } from '../../../../lambdas/shared/env';
import { withEnvironment } from '../../../support/environment';

const tables = { STOCK_TABLE: 'stock', RESERVATIONS_TABLE: 'reservations', OUTBOX_TABLE: 'outbox' };
const names = [...Object.values(INVENTORY_ENV), EVENTS_ENV.outboxTable];

describe('the inventory environment', () => {
  it('reads its three tables', () => {
    expect(withEnvironment(tables, readInventoryConfig, names)).toEqual({ stockTable: 'stock', reservationsTable: 'reservations', outboxTable: 'outbox' });
  });

  it('fails when one is missing, naming it', () => {
    expect(() => withEnvironment({ ...tables, RESERVATIONS_TABLE: undefined }, readInventoryConfig, names)).toThrow(
      'environment variable RESERVATIONS_TABLE is required but not set',
    );
    expect(() => withEnvironment({ ...tables, OUTBOX_TABLE: '' }, readInventoryConfig, names)).toThrow('environment variable OUTBOX_TABLE is required but not set');
  });
});
