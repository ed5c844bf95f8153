/** Query parameters of the list and search routes to the use cases' page request. */
import { decodeCursor } from '../../shared/cursor';
import type { ListQueryParams } from '../schemas';
import type { PageRequest } from '../use-cases/queries';

export function pageRequest(q: ListQueryParams): PageRequest {
  return {
    filters: {
      category: q.category,
      brand: q.brand,
      currency: q.currency,
      minPrice: q.min_price,
      maxPrice: q.max_price,
      inStock: q.in_stock,
      featured: q.featured,
    },
    sort: q.sort,
    limit: q.limit,
    cursor: decodeCursor(q.cursor),
    facets: q.facets,
  };
}
