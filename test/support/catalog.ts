/** Catalog fixtures shared by the catalog's tests. */
import { InMemoryProductRepository } from '../../lambdas/catalog/adapters/in-memory/product-repository';
import { createBody } from '../../lambdas/catalog/schemas';
import { createProduct, deleteProduct, updateProduct } from '../../lambdas/catalog/use-cases/commands';

const clock = () => '2026-11-25T10:00:00.000Z';

/** The product of the original platform's README quick-start call (POST /api/catalog), unchanged. */
export const QUICK_START_PRODUCT = {
  name: 'Premium Headphones',
  description: 'High-quality wireless headphones',
  price: 299.99,
  category: 'Electronics',
  brand: 'AudioTech',
  stock: 50,
  tags: ['audio', 'wireless', 'premium'],
};

/** The events of one product's life: created, repriced, moved to another category, deleted. */
export async function productHistory() {
  const repo = new InMemoryProductRepository();
  const body = createBody.parse({ product_id: 'P1', name: 'Premium Headphones', price: 299.99, category: 'Electronics', brand: 'AudioTech', stock: 50 });
  await createProduct(repo, body, clock);
  await updateProduct(repo, 'P1', { price: 279.99 }, 1, clock);
  await updateProduct(repo, 'P1', { category: 'Audio' }, 2, clock);
  await deleteProduct(repo, 'P1', undefined, clock);
  return repo.events;
}
