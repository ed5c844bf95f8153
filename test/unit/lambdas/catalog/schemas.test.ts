import { createBody, listQuery, searchPath, updateBody } from '../../../../lambdas/catalog/schemas';
import { QUICK_START_PRODUCT as QUICK_START } from '../../../support/catalog';

function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
}

describe('create body', () => {
  it("accepts the original README's quick-start call unchanged, with defaults", () => {
    const r = createBody.safeParse(QUICK_START);
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ ...QUICK_START, currency: 'USD', images: [], attributes: {}, featured: false });
  });

  it('accepts every extra field and normalizes currency, tags', () => {
    const r = createBody.parse({
      ...QUICK_START,
      product_id: 'PROD-001',
      currency: 'eur',
      images: ['https://img.example.com/a.jpg'],
      attributes: { color: 'black' },
      featured: true,
      tags: ['audio', 'Audio', ' wireless '],
    });
    expect(r).toMatchObject({ product_id: 'PROD-001', currency: 'EUR', tags: ['audio', 'wireless'], featured: true });
  });

  it('names each bad field: negative price, empty name, long description, too many tags', () => {
    const found = issues(
      createBody.safeParse({ ...QUICK_START, price: -1, name: '   ', description: 'x'.repeat(5001), tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
    );
    const fields = found.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['price', 'name', 'description', 'tags']));
    expect(found.find((f) => f.field === 'price')!.message).toMatch(/negative/);
    expect(found.find((f) => f.field === 'description')!.message).toMatch(/5000/);
  });

  it('refuses control characters and unpaired surrogates in text, naming the field; lines and emoji pass', () => {
    expect(issues(createBody.safeParse({ ...QUICK_START, category: '\u0000' }))).toEqual([{ field: 'category', message: 'category must not contain control characters' }]);
    expect(issues(createBody.safeParse({ ...QUICK_START, name: 'Head\u0007phones' }))).toEqual([{ field: 'name', message: 'name must not contain control characters' }]);
    expect(issues(createBody.safeParse({ ...QUICK_START, brand: 'Audio\ud800' }))).toEqual([{ field: 'brand', message: 'brand must not contain an unpaired surrogate' }]);
    expect(issues(createBody.safeParse({ ...QUICK_START, tags: ['ok', '\u001b[31m'] }))).toEqual([{ field: 'tags.1', message: 'a tag must not contain control characters' }]);
    expect(issues(createBody.safeParse({ ...QUICK_START, description: 'a\u0000b' }))[0]!.field).toBe('description');
    const fine = createBody.safeParse({ ...QUICK_START, name: 'Headphones \u{1F3A7}', description: 'Line one\nLine two\twith a tab' });
    expect(fine.success).toBe(true);
  });

  it('refuses a price with more decimals than the currency has', () => {
    expect(issues(createBody.safeParse({ ...QUICK_START, price: 299.999 }))).toEqual([{ field: 'price', message: expect.stringMatching(/decimal/) }]);
    expect(createBody.safeParse({ ...QUICK_START, price: 1.005, currency: 'KWD' }).success).toBe(true);
  });

  it('needs a price in one form, and both forms to agree', () => {
    const { price: _p, ...noPrice } = QUICK_START;
    expect(issues(createBody.safeParse(noPrice))[0]!.field).toBe('price');
    expect(createBody.safeParse({ ...noPrice, price_minor: 29999 }).success).toBe(true);
    expect(issues(createBody.safeParse({ ...QUICK_START, price_minor: 1 }))[0]!.field).toBe('price_minor');
  });

  it('refuses unknown fields, unsupported currencies, bad ids, bad image URLs', () => {
    expect(issues(createBody.safeParse({ ...QUICK_START, colour: 'red' }))[0]!.message).toMatch(/colour/);
    expect(issues(createBody.safeParse({ ...QUICK_START, currency: 'XYZ' }))[0]!.field).toBe('currency');
    expect(issues(createBody.safeParse({ ...QUICK_START, product_id: 'bad id!' }))[0]!.field).toBe('product_id');
    expect(issues(createBody.safeParse({ ...QUICK_START, product_id: 'health' }))[0]!.message).toMatch(/reserved/);
    expect(issues(createBody.safeParse({ ...QUICK_START, images: ['javascript:alert(1)'] }))[0]!.field).toBe('images.0');
    expect(issues(createBody.safeParse({ ...QUICK_START, stock: 1.5 }))[0]!.field).toBe('stock');
  });
});

describe('update body', () => {
  it('accepts a partial change with a version', () => {
    expect(updateBody.parse({ version: 2, price: 249.99 })).toEqual({ version: 2, price: 249.99 });
  });

  it('refuses stock and other read-only fields with a pointer to their owner', () => {
    const found = issues(updateBody.safeParse({ version: 1, stock: 5, popularity: 3 }));
    expect(found.find((f) => f.field === 'stock')!.message).toMatch(/Inventory/);
    expect(found.map((f) => f.field)).toContain('popularity');
  });

  it('refuses an empty change, and a currency change without a price', () => {
    expect(issues(updateBody.safeParse({ version: 1 }))[0]!.message).toMatch(/nothing to update/);
    expect(issues(updateBody.safeParse({ version: 1, currency: 'EUR' }))[0]!.field).toBe('currency');
  });
});

describe('query parameters', () => {
  it('parses filters, sort and page size', () => {
    expect(listQuery.parse({ category: 'Electronics', min_price: '10', max_price: '99.5', in_stock: 'true', sort: 'price_asc', limit: '5' })).toEqual({
      category: 'Electronics',
      min_price: 10,
      max_price: 99.5,
      in_stock: true,
      sort: 'price_asc',
      limit: 5,
    });
    expect(listQuery.parse({}).limit).toBe(20);
  });

  it('refuses a huge or non-numeric limit, an unknown sort, an inverted price range', () => {
    expect(issues(listQuery.safeParse({ limit: '100000' }))[0]!.field).toBe('limit');
    expect(issues(listQuery.safeParse({ limit: 'ten' }))[0]!.field).toBe('limit');
    expect(issues(listQuery.safeParse({ sort: 'cheapest' }))[0]!.field).toBe('sort');
    expect(issues(listQuery.safeParse({ min_price: '50', max_price: '10' }))[0]!.field).toBe('min_price');
    expect(issues(listQuery.safeParse({ min_price: '-5' }))[0]!.field).toBe('min_price');
  });

  it('takes search text with query-syntax characters as plain text, but refuses text with nothing to search', () => {
    expect(searchPath.parse({ query: 'headphones (wireless) +premium' }).query).toBe('headphones (wireless) +premium');
    expect(issues(searchPath.safeParse({ query: '+-=&&||><!(){}[]^"~*?:\\/' }))[0]!.message).toMatch(/no letter or digit/);
    expect(issues(searchPath.safeParse({ query: 'x'.repeat(201) }))[0]!.field).toBe('query');
  });
});
