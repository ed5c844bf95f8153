/** Stock of the sample products loaded on a fresh start (PROD-001 is the original's "Premium Headphones"). */
export const SAMPLE_STOCK: Array<{ product_id: string; quantity: number }> = [
  { product_id: 'PROD-001', quantity: 50 },
  { product_id: 'PROD-002', quantity: 120 },
  { product_id: 'PROD-003', quantity: 35 },
  { product_id: 'PROD-004', quantity: 8 },
  { product_id: 'PROD-005', quantity: 200 },
  { product_id: 'PROD-006', quantity: 64 },
  { product_id: 'PROD-007', quantity: 15 },
  { product_id: 'PROD-008', quantity: 90 },
  { product_id: 'PROD-009', quantity: 5 },
  { product_id: 'PROD-010', quantity: 300 },
  { product_id: 'PROD-011', quantity: 42 },
  { product_id: 'PROD-012', quantity: 77 },
];
