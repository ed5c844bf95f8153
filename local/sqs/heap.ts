// A binary min-heap of (time, id) pairs: when delayed and in-flight messages become visible.
export class TimeHeap {
  private at: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.at.length;
  }

  peek(): number | undefined {
    return this.at[0];
  }

  push(time: number, id: string): void {
    const at = this.at;
    const ids = this.ids;
    let i = at.length;
    at.push(time);
    ids.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (at[p]! <= time) break;
      at[i] = at[p]!;
      ids[i] = ids[p]!;
      i = p;
    }
    at[i] = time;
    ids[i] = id;
  }

  /** Removes and returns the id with the smallest time if that time is <= `now`. */
  popDue(now: number): string | undefined {
    const at = this.at;
    if (at.length === 0 || at[0]! > now) return undefined;
    const ids = this.ids;
    const top = ids[0]!;
    const lastAt = at.pop()!;
    const lastId = ids.pop()!;
    const n = at.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && at[r]! < at[l]! ? r : l;
        if (at[c]! >= lastAt) break;
        at[i] = at[c]!;
        ids[i] = ids[c]!;
        i = c;
      }
      at[i] = lastAt;
      ids[i] = lastId;
    }
    return top;
  }

  clear(): void {
    this.at = [];
    this.ids = [];
  }
}
