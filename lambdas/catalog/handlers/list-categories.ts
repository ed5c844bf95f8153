/** GET /api/catalog/meta/categories: every category with its product count (Query). */
import { json } from '../../shared/http';
import { queryDependencies } from '../dependencies';
import { listCategories } from '../use-cases/queries';

const deps = queryDependencies();

export async function listCategoriesRoute() {
  return json(200, await listCategories(deps));
}
