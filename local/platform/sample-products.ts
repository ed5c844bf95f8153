/**
 * The sample catalog loaded through the API on a fresh start: 300 products in twelve
 * categories, in the shape of a create request (POST /api/catalog). PROD-001 is the original
 * README's "Premium Headphones". The rest come from a seeded generator (brands, adjectives and
 * nouns per category), so every fresh start loads the same catalog.
 */

export interface SampleProduct {
  product_id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  category: string;
  brand: string;
  stock: number;
  tags: string[];
  images: string[];
  attributes: Record<string, string>;
  featured: boolean;
}

interface CategorySpec {
  name: string;
  brands: string[];
  adjectives: string[];
  nouns: string[];
  tags: string[];
  /** price range in dollars */
  price: [number, number];
  attributes: Record<string, string[]>;
}

const CATEGORIES: CategorySpec[] = [
  {
    name: 'Electronics',
    brands: ['AudioTech', 'VoltEdge', 'Lumina', 'SoundCore', 'Nexa'],
    adjectives: ['Wireless', 'Smart', 'Portable', 'Compact', 'Premium', 'Ultra'],
    nouns: ['Headphones', 'Earbuds', 'Speaker', 'Charger', 'Power Bank', 'Webcam', 'Keyboard', 'Mouse', 'Monitor', 'Soundbar'],
    tags: ['audio', 'wireless', 'usb-c', 'bluetooth', 'gaming', 'office'],
    price: [15, 900],
    attributes: { color: ['black', 'white', 'silver', 'blue'], warranty: ['1 year', '2 years'] },
  },
  {
    name: 'Books',
    brands: ['Inkwell Press', 'Harbor Books', 'Northlight', 'Quill & Co'],
    adjectives: ['Complete', 'Illustrated', 'Practical', 'Pocket', 'Essential', 'Modern'],
    nouns: ['Cookbook', 'Field Guide', 'Atlas', 'Novel', 'Handbook', 'Anthology', 'Workbook', 'Biography'],
    tags: ['paperback', 'hardcover', 'bestseller', 'reference', 'fiction', 'non-fiction'],
    price: [8, 60],
    attributes: { format: ['paperback', 'hardcover'], language: ['English', 'Spanish', 'French'] },
  },
  {
    name: 'Kitchen',
    brands: ['HearthWare', 'Brewmaster', 'CopperLeaf', 'Culina'],
    adjectives: ['Cast Iron', 'Stainless', 'Nonstick', 'Ceramic', 'Professional', 'Everyday'],
    nouns: ['Skillet', 'Chef Knife', 'Dutch Oven', 'Espresso Machine', 'Blender', 'Kettle', 'Cutting Board', 'Saucepan'],
    tags: ['cookware', 'dishwasher-safe', 'coffee', 'baking', 'induction'],
    price: [12, 700],
    attributes: { material: ['steel', 'cast iron', 'ceramic', 'bamboo'], capacity: ['1 l', '2 l', '5 l'] },
  },
  {
    name: 'Home',
    brands: ['Nestwell', 'Oak & Linen', 'Lumen House', 'Casa Verde'],
    adjectives: ['Cozy', 'Minimalist', 'Handwoven', 'Scented', 'Rustic', 'Modern'],
    nouns: ['Throw Blanket', 'Table Lamp', 'Candle', 'Cushion', 'Wall Clock', 'Rug', 'Vase', 'Bookshelf'],
    tags: ['decor', 'living-room', 'bedroom', 'gift', 'handmade'],
    price: [10, 450],
    attributes: { color: ['sand', 'charcoal', 'ivory', 'sage'], room: ['living room', 'bedroom', 'office'] },
  },
  {
    name: 'Sports',
    brands: ['TrailPeak', 'Strideline', 'IronForm', 'AquaPulse'],
    adjectives: ['Lightweight', 'Adjustable', 'Waterproof', 'Pro', 'Ergonomic', 'Foldable'],
    nouns: ['Yoga Mat', 'Dumbbell Set', 'Running Shoes', 'Tennis Racket', 'Water Bottle', 'Backpack', 'Jump Rope', 'Bike Helmet'],
    tags: ['fitness', 'outdoor', 'training', 'running', 'hiking'],
    price: [9, 350],
    attributes: { size: ['S', 'M', 'L', 'XL'], color: ['red', 'black', 'teal'] },
  },
  {
    name: 'Toys',
    brands: ['Playwright', 'BrightBlocks', 'Tinkerbox', 'Wonderkin'],
    adjectives: ['Wooden', 'Magnetic', 'Interactive', 'Classic', 'Glow', 'Educational'],
    nouns: ['Building Set', 'Puzzle', 'Train Set', 'Robot Kit', 'Board Game', 'Plush Bear', 'Kite', 'Marble Run'],
    tags: ['kids', 'stem', 'family', 'gift', 'ages-6-plus'],
    price: [7, 180],
    attributes: { age: ['3+', '6+', '8+', '12+'] },
  },
  {
    name: 'Beauty',
    brands: ['Glowry', 'Petal & Pine', 'Aurelle', 'PureForm'],
    adjectives: ['Hydrating', 'Organic', 'Gentle', 'Revitalizing', 'Fragrance-Free', 'Vitamin C'],
    nouns: ['Face Serum', 'Moisturizer', 'Cleanser', 'Lip Balm', 'Sunscreen', 'Hair Oil', 'Eye Cream', 'Body Lotion'],
    tags: ['skincare', 'vegan', 'cruelty-free', 'spf', 'sensitive-skin'],
    price: [6, 120],
    attributes: { size: ['30 ml', '50 ml', '100 ml'], skin: ['all', 'dry', 'oily'] },
  },
  {
    name: 'Garden',
    brands: ['GreenThumb', 'Fernwood', 'Terra Tools', 'Bloomfield'],
    adjectives: ['Heavy-Duty', 'Ergonomic', 'Solar', 'Self-Watering', 'Galvanized', 'Compact'],
    nouns: ['Pruning Shears', 'Garden Hose', 'Planter', 'Lawn Mower', 'Wheelbarrow', 'Seed Kit', 'Path Lights', 'Trowel'],
    tags: ['outdoor', 'plants', 'tools', 'lawn', 'eco'],
    price: [8, 600],
    attributes: { material: ['steel', 'aluminium', 'recycled plastic'] },
  },
  {
    name: 'Clothing',
    brands: ['Northbound', 'Thread & Needle', 'Urbanite', 'Coastline'],
    adjectives: ['Merino', 'Slim-Fit', 'Waterproof', 'Organic Cotton', 'Quilted', 'Linen'],
    nouns: ['Sweater', 'Jacket', 'T-Shirt', 'Chinos', 'Hoodie', 'Scarf', 'Raincoat', 'Socks'],
    tags: ['apparel', 'winter', 'summer', 'casual', 'sustainable'],
    price: [9, 320],
    attributes: { size: ['XS', 'S', 'M', 'L', 'XL'], color: ['navy', 'olive', 'grey', 'black'] },
  },
  {
    name: 'Office',
    brands: ['Deskcraft', 'PaperTrail', 'Ergonomica', 'Notable'],
    adjectives: ['Ergonomic', 'Refillable', 'Standing', 'Recycled', 'Leather', 'Magnetic'],
    nouns: ['Desk Chair', 'Notebook', 'Fountain Pen', 'Desk Organizer', 'Standing Desk', 'Whiteboard', 'Planner', 'Monitor Arm'],
    tags: ['office', 'stationery', 'work-from-home', 'productivity'],
    price: [4, 800],
    attributes: { color: ['black', 'walnut', 'white'] },
  },
  {
    name: 'Pet Supplies',
    brands: ['Pawsome', 'Tailwind', 'FurBest', 'Whisker & Co'],
    adjectives: ['Orthopedic', 'Chew-Proof', 'Reflective', 'Automatic', 'Grain-Free', 'Washable'],
    nouns: ['Dog Bed', 'Cat Tree', 'Leash', 'Pet Feeder', 'Dog Food', 'Cat Litter', 'Chew Toy', 'Pet Carrier'],
    tags: ['dogs', 'cats', 'pets', 'training'],
    price: [5, 250],
    attributes: { pet: ['dog', 'cat'], size: ['small', 'medium', 'large'] },
  },
  {
    name: 'Grocery',
    brands: ['Harvest Lane', 'Good Pantry', 'Origin Roast', 'Green Valley'],
    adjectives: ['Organic', 'Single-Origin', 'Cold-Pressed', 'Stone-Ground', 'Raw', 'Smoked'],
    nouns: ['Coffee Beans', 'Olive Oil', 'Honey', 'Green Tea', 'Dark Chocolate', 'Granola', 'Sea Salt', 'Maple Syrup'],
    tags: ['food', 'organic', 'pantry', 'gift', 'fair-trade'],
    price: [3, 60],
    attributes: { weight: ['250 g', '500 g', '1 kg'] },
  },
];

export const SAMPLE_PRODUCT_COUNT = 300;

/** mulberry32: a tiny seeded PRNG, so the sample catalog is the same on every start. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(3, '0');

function generate(): SampleProduct[] {
  const rand = prng(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const products: SampleProduct[] = [
    {
      product_id: 'PROD-001',
      name: 'Premium Headphones',
      description: 'High-quality wireless headphones',
      price: 299.99,
      currency: 'USD',
      category: 'Electronics',
      brand: 'AudioTech',
      stock: 50,
      tags: ['audio', 'wireless', 'premium'],
      images: ['https://images.example.com/products/PROD-001.jpg'],
      attributes: { color: 'black', warranty: '2 years' },
      featured: true,
    },
  ];
  const names = new Set(['Premium Headphones']);
  for (let i = 2; products.length < SAMPLE_PRODUCT_COUNT; i++) {
    const c = CATEGORIES[(i - 2) % CATEGORIES.length]!;
    const brand = pick(c.brands);
    let name = `${pick(c.adjectives)} ${pick(c.nouns)}`;
    if (names.has(name)) name = `${name} ${['II', 'Plus', 'Max', 'Mini', 'Pro', 'Lite', 'XL', 'Duo'][Math.floor(rand() * 8)]}`;
    if (names.has(name)) name = `${brand} ${name}`;
    if (names.has(name)) continue;
    names.add(name);
    const [lo, hi] = c.price;
    const whole = Math.floor(lo + (hi - lo) * rand() ** 2); // more cheap items than dear ones
    const cents = pick([0, 49, 95, 99, 99]);
    const tags = [...new Set([pick(c.tags), pick(c.tags), pick(c.tags)])];
    const attributes = Object.fromEntries(Object.entries(c.attributes).map(([k, values]) => [k, pick(values)]));
    const id = `PROD-${pad(i)}`;
    products.push({
      product_id: id,
      name,
      description: `${name} by ${brand}. ${pick([
        'Built to last and easy to love.',
        'A customer favourite for everyday use.',
        'Thoughtfully designed with quality materials.',
        'Great value without compromise.',
        'Made for people who care about the details.',
      ])} Category: ${c.name.toLowerCase()}; ${tags.join(', ')}.`,
      price: whole + cents / 100,
      currency: 'USD',
      category: c.name,
      brand,
      stock: rand() < 0.1 ? 0 : Math.floor(rand() * 200) + 1,
      tags,
      images: [`https://images.example.com/products/${id}.jpg`],
      attributes,
      featured: rand() < 0.08,
    });
  }
  return products;
}

export const SAMPLE_PRODUCTS: readonly SampleProduct[] = Object.freeze(generate());
