/**
 * The original platform's quick start, call for call, through the API (plus the x-api-key
 * header): add a product to the catalog, see its stock in Inventory (carried by its catalog
 * event), find it by search, and check the services' health without a key.
 */
import { call } from '../support/local-cloud';
import { eventually } from '../support/poll';

describe("the original README's quick start", () => {
  it('creates a product, whose stock reaches inventory and which search finds', async () => {
    const created = await call('/api/catalog', {
      key: 'standard',
      body: {
        name: 'Premium Headphones',
        description: 'High-quality wireless headphones',
        price: 299.99,
        category: 'Electronics',
        brand: 'AudioTech',
        stock: 50,
        tags: ['audio', 'wireless', 'premium'],
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.product_id;
    expect(created.body).toMatchObject({ name: 'Premium Headphones', price: 299.99, price_minor: 29999, currency: 'USD', stock: 50, version: 1 });

    const stock = await eventually('the stock to reach inventory', async () => {
      const res = await call(`/api/inventory/${id}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(stock).toMatchObject({ product_id: id, available: 50, reserved: 0 });

    const found = await eventually('the product to be searchable', async () => {
      const res = await call('/api/catalog/search/headphones');
      return res.body.items?.some((p: { product_id: string }) => p.product_id === id) ? res.body : undefined;
    });
    expect(found.items.length).toBeGreaterThan(0);

    const list = await call('/api/inventory');
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.items)).toBe(true);
  });

  it.each(['inventory', 'catalog'])('answers GET /api/%s/health without a key', async (service) => {
    const res = await call(`/api/${service}/health`, { key: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });
});
