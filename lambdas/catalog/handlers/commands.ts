/**
 * The catalog's command function: POST /api/catalog, PUT and DELETE /api/catalog/{id}. One
 * function for the write side (one role: the products table and the outbox), one module per route.
 */
import { httpHandler } from '../../shared/http';
import { createProductRoute } from './create-product';
import { deleteProductRoute } from './delete-product';
import { router } from '../../shared/router';
import { updateProductRoute } from './update-product';

export const handler = httpHandler(
  router({
    'POST /api/catalog': createProductRoute,
    'PUT /api/catalog/{id}': updateProductRoute,
    'DELETE /api/catalog/{id}': deleteProductRoute,
  }),
);
