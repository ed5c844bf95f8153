/**
 * Every route of the REST API with the zod schemas its handler validates (imported from each
 * service's schemas.ts, so the document cannot say other than the code) and the answers it gives.
 * `test/infra/openapi.test.ts` checks this list against the routes of the synthesized template,
 * both ways.
 */
import { z } from 'zod';
import * as catalog from '../../lambdas/catalog/schemas';
import * as inventory from '../../lambdas/inventory/schemas';
import * as notifications from '../../lambdas/notifications/schemas';
import * as orders from '../../lambdas/orders/schemas';
import * as payments from '../../lambdas/payments/schemas';
import type { ServiceName } from '../config';
import * as r from './responses';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDoc {
  service: ServiceName;
  method: HttpMethod;
  /** API Gateway's path, parameters in braces */
  path: string;
  operationId: string;
  summary: string;
  /** false only for health checks */
  apiKey?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the body may be left out (DELETE with an optional version) */
  bodyOptional?: boolean;
  headers?: Array<{ name: string; description: string; schema: z.ZodType }>;
  /** status -> [description, schema] of the answers the handler itself gives */
  responses: Record<number, [string, z.ZodType]>;
  /** statuses of the platform's error body this route may answer */
  errors: number[];
}

const idempotencyKey = {
  name: 'Idempotency-Key',
  description: 'A retry with the same key and body answers the first answer and starts nothing new; another body with the same key is 422',
  schema: z.string().min(1).max(256),
};
const sagaFault = {
  name: 'x-saga-fault',
  description: 'Local cloud with --fault-injection only: `<reserve|payment|confirm>=<delay=<ms>|error|crash>` drives that saga step to fail',
  schema: z.string().regex(/^(reserve|payment|confirm)=(delay=\d+|error|crash)$/),
};

const health = (service: ServiceName): RouteDoc => ({
  service,
  method: 'GET',
  path: `/api/${service}/health`,
  operationId: `${service}Health`,
  summary: `Health of ${service} and its dependencies (no API key)`,
  apiKey: false,
  responses: { 200: ['healthy (or degraded: an optional dependency is down)', r.health], 503: ['an essential dependency is down', r.health] },
  errors: [],
});

export const ROUTES: RouteDoc[] = [
  // --- Orders ---
  {
    service: 'orders',
    method: 'POST',
    path: '/api/orders',
    operationId: 'placeOrder',
    summary: 'Place an order: prices come from the catalog; the order saga starts (202)',
    body: orders.placeOrderBody,
    headers: [idempotencyKey, sagaFault],
    responses: { 202: ['accepted; the saga runs (follow /status)', r.orderAccepted] },
    errors: [400, 409, 413, 415, 422],
  },
  {
    service: 'orders',
    method: 'GET',
    path: '/api/orders',
    operationId: 'listOrders',
    summary: "A user's orders, newest first",
    query: orders.listQuery,
    responses: { 200: ['a page of orders', r.orderPage] },
    errors: [400],
  },
  health('orders'),
  {
    service: 'orders',
    method: 'GET',
    path: '/api/orders/prices/{product_id}',
    operationId: 'getOrderPrice',
    summary: 'What Orders charges for a product now',
    params: orders.pricePath,
    responses: { 200: ['the price', r.price] },
    errors: [400, 404],
  },
  {
    service: 'orders',
    method: 'GET',
    path: '/api/orders/{id}',
    operationId: 'getOrder',
    summary: 'One order (its read model)',
    params: orders.orderPath,
    responses: { 200: ['the order', r.order] },
    errors: [400, 404],
  },
  {
    service: 'orders',
    method: 'GET',
    path: '/api/orders/{id}/events',
    operationId: 'getOrderEvents',
    summary: "The order's event-sourced log",
    params: orders.orderPath,
    responses: { 200: ['the events in order', r.orderEvents] },
    errors: [400, 404],
  },
  {
    service: 'orders',
    method: 'GET',
    path: '/api/orders/{id}/status',
    operationId: 'getOrderStatus',
    summary: 'The order, its saga execution and the steps taken',
    params: orders.orderPath,
    responses: { 200: ['the order and its saga', r.orderSagaStatus] },
    errors: [400, 404, 503],
  },
  // --- Inventory ---
  {
    service: 'inventory',
    method: 'GET',
    path: '/api/inventory',
    operationId: 'listStock',
    summary: 'Stock of every product, a page at a time',
    query: inventory.listQuery,
    responses: { 200: ['a page of stock records', r.stockPage] },
    errors: [400],
  },
  health('inventory'),
  {
    service: 'inventory',
    method: 'GET',
    path: '/api/inventory/{product_id}',
    operationId: 'getStock',
    summary: "A product's stock (available and reserved)",
    params: inventory.productPath,
    responses: { 200: ['the stock record', r.stock] },
    errors: [400, 404],
  },
  {
    service: 'inventory',
    method: 'POST',
    path: '/api/inventory/{product_id}/restock',
    operationId: 'restock',
    summary: 'Add units to a product',
    params: inventory.productPath,
    body: inventory.restockBody,
    responses: { 200: ['the stock after the restock', r.stock] },
    errors: [400, 404, 413, 415, 422],
  },
  // --- Catalog ---
  {
    service: 'catalog',
    method: 'POST',
    path: '/api/catalog',
    operationId: 'createProduct',
    summary: 'Create a product (its stock reaches Inventory through its catalog event)',
    body: catalog.createBody,
    responses: { 201: ['created', r.product] },
    errors: [400, 409, 413, 415, 422],
  },
  {
    service: 'catalog',
    method: 'GET',
    path: '/api/catalog',
    operationId: 'listProducts',
    summary: 'Products with filters, sort and pagination (and facets)',
    query: catalog.listQuery,
    responses: { 200: ['a page of products', r.productPage] },
    errors: [400],
  },
  health('catalog'),
  {
    service: 'catalog',
    method: 'GET',
    path: '/api/catalog/{id}',
    operationId: 'getProduct',
    summary: 'One product',
    params: catalog.productPath,
    responses: { 200: ['the product', r.product] },
    errors: [400, 404],
  },
  {
    service: 'catalog',
    method: 'PUT',
    path: '/api/catalog/{id}',
    operationId: 'updateProduct',
    summary: 'Change a product (optimistic: `version` or If-Match)',
    params: catalog.productPath,
    body: catalog.updateBody,
    responses: { 200: ['the product after the change', r.product] },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    service: 'catalog',
    method: 'DELETE',
    path: '/api/catalog/{id}',
    operationId: 'deleteProduct',
    summary: 'Delete a product',
    params: catalog.productPath,
    body: catalog.deleteBody,
    bodyOptional: true,
    responses: { 200: ['deleted', r.deleted] },
    errors: [400, 404, 409, 415, 422],
  },
  {
    service: 'catalog',
    method: 'GET',
    path: '/api/catalog/search/{query}',
    operationId: 'searchProducts',
    summary: 'Full-text search with typo tolerance, filters and facets',
    params: catalog.searchPath,
    query: catalog.listQuery,
    responses: { 200: ['matching products, best first', r.searchPage] },
    errors: [400],
  },
  {
    service: 'catalog',
    method: 'GET',
    path: '/api/catalog/featured/list',
    operationId: 'featuredProducts',
    summary: 'Featured products',
    query: catalog.featuredQuery,
    responses: { 200: ['a page of featured products', r.productPage] },
    errors: [400],
  },
  {
    service: 'catalog',
    method: 'GET',
    path: '/api/catalog/meta/categories',
    operationId: 'listCategories',
    summary: 'Categories with their product counts',
    responses: { 200: ['the categories', r.categories] },
    errors: [],
  },
  // --- Payments ---
  {
    service: 'payments',
    method: 'POST',
    path: '/api/payments',
    operationId: 'createPayment',
    summary: 'Charge a card for an order (one payment per order)',
    body: payments.createPaymentBody,
    headers: [idempotencyKey],
    responses: { 201: ['captured or declined (see status)', r.payment], 200: ["the order's payment, already taken", r.payment] },
    errors: [400, 402, 409, 413, 415, 422, 503],
  },
  health('payments'),
  {
    service: 'payments',
    method: 'GET',
    path: '/api/payments/{id}',
    operationId: 'getPayment',
    summary: 'One payment',
    params: payments.paymentPath,
    responses: { 200: ['the payment', r.payment] },
    errors: [400, 404],
  },
  {
    service: 'payments',
    method: 'POST',
    path: '/api/payments/{id}/refund',
    operationId: 'refundPayment',
    summary: 'Refund a captured payment in full',
    params: payments.paymentPath,
    body: payments.refundBody,
    responses: { 200: ['the payment, refunded', r.payment] },
    errors: [400, 404, 409, 413, 415, 422, 503],
  },
  // --- Notifications ---
  health('notifications'),
  {
    service: 'notifications',
    method: 'POST',
    path: '/api/notifications/send',
    operationId: 'sendNotification',
    summary: "An operator's direct send on one channel, to an address or to a user's contact, of a template or of their own text",
    body: notifications.sendBody,
    headers: [{ ...idempotencyKey, schema: z.string().regex(/^[\x21-\x7e]{1,255}$/) }],
    responses: { 201: ['sent (the provider took it)', r.notification], 200: ['the first answer to this Idempotency-Key; nothing sent', r.notification] },
    errors: [400, 413, 415, 422, 502],
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/api/notifications/history',
    operationId: 'notificationHistory',
    summary: 'Notifications by order, user or status (at least one of the three; the channel narrows them), newest first',
    query: notifications.historyQuery,
    responses: { 200: ['a page of notifications', r.notificationPage] },
    errors: [400],
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/api/notifications/preferences/{user_id}',
    operationId: 'getPreferences',
    summary: "A user's contacts and opted-in channels",
    params: notifications.userPath,
    responses: { 200: ["the user's preferences", r.preferences] },
    errors: [400, 404],
  },
  {
    service: 'notifications',
    method: 'PUT',
    path: '/api/notifications/preferences/{user_id}',
    operationId: 'putPreferences',
    summary: "Replace a user's preferences (each opted-in channel needs its contact)",
    params: notifications.userPath,
    body: notifications.preferencesBody,
    responses: { 201: ['created', r.preferences], 200: ['replaced', r.preferences] },
    errors: [400, 413, 415, 422],
  },
];
