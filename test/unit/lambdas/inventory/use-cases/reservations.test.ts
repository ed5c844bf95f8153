import { InsufficientStockError, ReservationStateError, UnknownProductError } from '../../../../../lambdas/inventory/domain/errors';
import { commitOrder, releaseOrder, reserveOrder } from '../../../../../lambdas/inventory/use-cases/reservations';
import { getStock } from '../../../../../lambdas/inventory/use-cases/stock';
import { clock, stockStore as store } from '../../../../support/inventory';

describe('reservation use cases', () => {
  it('reserves all lines or none', async () => {
    const repo = await store({ A: 5, B: 1 });
    await expect(reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 2 }, { productId: 'B', quantity: 2 }], clock)).rejects.toBeInstanceOf(
      InsufficientStockError,
    );
    expect((await getStock(repo, 'A')).available).toBe(5);
    expect(repo.reservations.size).toBe(0);
    const ok = await reserveOrder(repo, 'o2', [{ productId: 'A', quantity: 2 }, { productId: 'B', quantity: 1 }], clock);
    expect(ok).toMatchObject({ status: 'RESERVED', changed: true });
    expect(await getStock(repo, 'B')).toMatchObject({ available: 0, reserved: 1 });
  });

  it('names unknown products', async () => {
    const repo = await store({ A: 5 });
    await expect(reserveOrder(repo, 'o1', [{ productId: 'X', quantity: 1 }], clock)).rejects.toBeInstanceOf(UnknownProductError);
  });

  it('a repeated reserve is a no-op; the same id with other lines is refused', async () => {
    const repo = await store({ A: 5 });
    await reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 2 }], clock);
    expect(await reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 2 }], clock)).toMatchObject({ changed: false });
    expect((await getStock(repo, 'A')).available).toBe(3);
    await expect(reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 3 }], clock)).rejects.toBeInstanceOf(ReservationStateError);
  });

  it('release returns stock once; commit after release is refused', async () => {
    const repo = await store({ A: 5 });
    await reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 2 }], clock);
    expect(await releaseOrder(repo, 'o1', clock)).toMatchObject({ status: 'RELEASED', changed: true });
    expect(await releaseOrder(repo, 'o1', clock)).toMatchObject({ changed: false });
    expect(await getStock(repo, 'A')).toMatchObject({ available: 5, reserved: 0 });
    await expect(commitOrder(repo, 'o1', clock)).rejects.toBeInstanceOf(ReservationStateError);
  });

  it('a release before its reserve leaves a tombstone that refuses the late reserve', async () => {
    const repo = await store({ A: 5 });
    await releaseOrder(repo, 'late', clock);
    await expect(reserveOrder(repo, 'late', [{ productId: 'A', quantity: 1 }], clock)).rejects.toBeInstanceOf(ReservationStateError);
    expect((await getStock(repo, 'A')).available).toBe(5);
  });

  it('commit lets reserved units leave and cannot be released afterwards', async () => {
    const repo = await store({ A: 5 });
    await reserveOrder(repo, 'o1', [{ productId: 'A', quantity: 2 }], clock);
    await commitOrder(repo, 'o1', clock);
    expect(await getStock(repo, 'A')).toMatchObject({ available: 3, reserved: 0 });
    await expect(releaseOrder(repo, 'o1', clock)).rejects.toBeInstanceOf(ReservationStateError);
  });
});
