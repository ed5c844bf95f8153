/**
 * An index of many patterns, to find the few that can match an event without trying all of them
 * (Event Ruler compiles its rules into one state machine for the same reason).
 *
 * Most patterns require exact values: "source": ["orders"], "detail-type": [...], an id. Each
 * branch of a pattern is filed under every field of it that accepts only exact values (up to 30),
 * keyed by the field's path and each accepted value. For an event, the index counts, per branch,
 * the distinct required fields the event satisfies; a branch that has them all makes its pattern
 * a candidate. A pattern with a branch that requires no exact value (only prefixes, ranges,
 * anything-but, exists: false, ...) is always a candidate. Candidates are then matched in full,
 * so the index never changes a result; it only skips patterns that cannot match.
 */
import type { CompiledPattern, PatternField } from './compile';
import type { FlatEvent, Leaf } from './match';

const keyOf = (v: Leaf) => (typeof v === 'string' ? `s${v}` : JSON.stringify(v));
const MAX_FIELDS = 30;

interface BranchEntry<T> {
  item: T;
  /** bit mask with a bit for each required field */
  full: number;
  mask: number;
  stamp: number;
}

/** The exact values a field requires, or null when it accepts anything else too. */
function exactValues(f: PatternField): Leaf[] | null {
  const out: Leaf[] = [];
  for (const m of f.matchers) {
    if (m.type !== 'exact') return null;
    out.push(m.value);
  }
  return out;
}

export class PatternIndex<T> {
  /** path → value key → (branch, bit of the field in that branch) */
  private readonly byField = new Map<string, Map<string, Array<[BranchEntry<T>, number]>>>();
  private readonly always = new Set<T>();
  private generation = 0;

  constructor(entries: Iterable<[T, CompiledPattern]> = []) {
    for (const [item, pattern] of entries) this.add(item, pattern);
  }

  add(item: T, pattern: CompiledPattern): void {
    const filed: Array<[string, Leaf[], BranchEntry<T>, number]> = [];
    for (const branch of pattern.branches) {
      const entry: BranchEntry<T> = { item, full: 0, mask: 0, stamp: -1 };
      let bit = 0;
      for (const f of branch) {
        const values = exactValues(f);
        if (!values || bit >= MAX_FIELDS) continue;
        filed.push([f.path, values, entry, 1 << bit]);
        entry.full |= 1 << bit;
        bit++;
      }
      if (bit === 0) {
        this.always.add(item);
        return;
      }
    }
    for (const [path, values, entry, bit] of filed) {
      let byValue = this.byField.get(path);
      if (!byValue) this.byField.set(path, (byValue = new Map()));
      for (const v of values) {
        const k = keyOf(v);
        let list = byValue.get(k);
        if (!list) byValue.set(k, (list = []));
        list.push([entry, bit]);
      }
    }
  }

  /** The items whose pattern may match the event (a superset of those that do). */
  candidates(flat: FlatEvent): Set<T> {
    const out = new Set(this.always);
    const gen = ++this.generation;
    for (const [path, byValue] of this.byField) {
      const values = flat.get(path);
      if (!values) continue;
      for (const fv of values) {
        const list = byValue.get(keyOf(fv.value));
        if (!list) continue;
        for (const [entry, bit] of list) {
          if (entry.stamp !== gen) {
            entry.stamp = gen;
            entry.mask = 0;
          }
          entry.mask |= bit;
          if (entry.mask === entry.full) out.add(entry.item);
        }
      }
    }
    return out;
  }
}
