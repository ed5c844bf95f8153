/**
 * The catalog's command function: POST /api/catalog, PUT and DELETE /api/catalog/{id}. One
 * function for the write side (one role: the products table and the outbox), one module per route.
 */
import { httpHandler } from '../../shared/http';
import { createProductHandler } from './create-product';
import { deleteProductHandler } from './delete-product';
import { router } from './router';
import { updateProductHandler } from './update-product';

export const handler = httpHandler(
  router({
    'POST /api/catalog': createProductHandler,
    'PUT /api/catalog/{id}': updateProductHandler,
    'DELETE /api/catalog/{id}': deleteProductHandler,
  }),
);
