// Fixed-size bitsets over document ordinals: the representation of filters (filter/must_not/post_filter context).

export class Bitset {
  readonly words: Uint32Array;
  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  static full(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    const extra = b.words.length * 32 - size;
    if (extra > 0) b.words[b.words.length - 1] = 0xffffffff >>> extra;
    return b;
  }
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  and(o: Bitset): this {
    const a = this.words;
    const b = o.words;
    for (let i = 0; i < a.length; i++) a[i] &= b[i];
    return this;
  }
  or(o: Bitset): this {
    const a = this.words;
    const b = o.words;
    for (let i = 0; i < a.length; i++) a[i] |= b[i];
    return this;
  }
  andNot(o: Bitset): this {
    const a = this.words;
    const b = o.words;
    for (let i = 0; i < a.length; i++) a[i] &= ~b[i];
    return this;
  }
  copy(): Bitset {
    const b = new Bitset(this.size);
    b.words.set(this.words);
    return b;
  }
  count(): number {
    let c = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) {
      let v = w[i];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      c += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
    }
    return c;
  }
  /** Set bits in ascending order. */
  toArray(): Int32Array {
    const out = new Int32Array(this.count());
    let n = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) {
      let v = w[i];
      while (v !== 0) {
        const t = v & -v;
        out[n++] = (i << 5) + (31 - Math.clz32(t));
        v ^= t;
      }
    }
    return out;
  }
}

/** A growable typed array helper. */
export function grow<T extends Int32Array | Uint32Array | Float64Array | Uint16Array | Uint8Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  let cap = Math.max(16, arr.length * 2);
  while (cap < need) cap *= 2;
  const C = arr.constructor as new (n: number) => T;
  const next = new C(cap);
  next.set(arr);
  return next;
}
