// Matching documents with scores (the result of a query in scoring context) and the accumulator that builds them:
// a dense score array stamped per use, so combining clauses costs O(matches), not O(index size).

export interface ScoredDocs {
  docs: Int32Array;
  scores: Float64Array;
  length: number;
}

export const EMPTY: ScoredDocs = { docs: new Int32Array(0), scores: new Float64Array(0), length: 0 };

export class Accumulator {
  private mark: Int32Array;
  private clauseMark: Int32Array;
  scores: Float64Array;
  counts: Uint16Array;
  touched: Int32Array;
  n = 0;
  private epoch = 0;
  private clause = 0;

  constructor(size: number) {
    this.mark = new Int32Array(size);
    this.clauseMark = new Int32Array(size);
    this.scores = new Float64Array(size);
    this.counts = new Uint16Array(size);
    this.touched = new Int32Array(Math.min(size, 1024));
  }

  get size(): number {
    return this.mark.length;
  }

  reset(): void {
    this.epoch++;
    this.n = 0;
    this.clause = 0;
    if (this.epoch > 0x7ffffff0) {
      this.mark.fill(0);
      this.epoch = 1;
    }
  }

  /** Starts a new clause: add() counts each document at most once per clause. */
  nextClause(): void {
    this.clause++;
  }

  add(doc: number, s: number): void {
    if (this.mark[doc] !== this.epoch) {
      this.mark[doc] = this.epoch;
      this.scores[doc] = s;
      this.counts[doc] = 1;
      this.clauseMark[doc] = this.clause;
      if (this.n === this.touched.length) {
        const t = new Int32Array(Math.min(this.mark.length, this.touched.length * 2));
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[this.n++] = doc;
      return;
    }
    this.scores[doc] += s;
    if (this.clauseMark[doc] !== this.clause) {
      this.clauseMark[doc] = this.clause;
      this.counts[doc]++;
    }
  }

  /** Keeps the maximum instead of the sum (dis_max). */
  max(doc: number, s: number): void {
    if (this.mark[doc] !== this.epoch) {
      this.add(doc, s);
      return;
    }
    if (s > this.scores[doc]) this.scores[doc] = s;
    if (this.clauseMark[doc] !== this.clause) {
      this.clauseMark[doc] = this.clause;
      this.counts[doc]++;
    }
  }

  has(doc: number): boolean {
    return this.mark[doc] === this.epoch;
  }

  /** Documents matched by at least `minCount` clauses. */
  collect(minCount: number): ScoredDocs {
    const docs = new Int32Array(this.n);
    const scores = new Float64Array(this.n);
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const d = this.touched[i];
      if (this.counts[d] >= minCount) {
        docs[k] = d;
        scores[k++] = this.scores[d];
      }
    }
    return { docs, scores, length: k };
  }
}

/** A small pool so nested queries each get their own accumulator without reallocating per query. */
export class AccumulatorPool {
  private free: Accumulator[] = [];
  constructor(private size: number) {}
  resize(size: number): void {
    if (size > this.size) {
      this.size = size;
      this.free = [];
    }
  }
  acquire(): Accumulator {
    const a = this.free.pop() ?? new Accumulator(this.size);
    if (a.size < this.size) return this.acquire();
    a.reset();
    return a;
  }
  release(a: Accumulator): void {
    if (a.size >= this.size) this.free.push(a);
  }
}
