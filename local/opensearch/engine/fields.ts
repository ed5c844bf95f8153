// Per-field index structures of a searchable index: text (inverted + positions, optionally a MiniSearch twin),
// keyword (inverted + ordinal doc values) and numeric/date/boolean (numeric doc values).
import type { FieldInfo } from '../mapping/types';
import { OrdinalDocValues, NumericDocValues } from './doc-values';
import { InvertedField } from './inverted-field';
import { MiniSearchField } from './minisearch-field';

/** The gap between two values of an array in a text field's token stream (for phrase positions). */
export const GAP = null;
export type Token = string | typeof GAP;

export class TextField {
  readonly kind = 'text' as const;
  readonly inv = new InvertedField(true);
  readonly ms?: MiniSearchField;
  constructor(
    readonly info: FieldInfo,
    withMiniSearch: boolean,
  ) {
    if (withMiniSearch) this.ms = new MiniSearchField();
  }
  add(ord: number, values: (string | number)[]): void {
    const analyzer = this.info.analyzer!;
    let terms: Token[];
    if (values.length === 1) terms = analyzer.terms(String(values[0]));
    else {
      terms = [];
      for (let i = 0; i < values.length; i++) {
        if (i > 0) terms.push(GAP);
        for (const t of analyzer.terms(String(values[i]))) terms.push(t);
      }
    }
    this.inv.add(ord, terms);
    this.ms?.add(ord, terms);
  }
  has(ord: number): boolean {
    return this.inv.length(ord) > 0;
  }
}

export class KeywordField {
  readonly kind = 'keyword' as const;
  readonly inv = new InvertedField(false);
  readonly dv = new OrdinalDocValues();
  constructor(readonly info: FieldInfo) {}
  add(ord: number, values: (string | number)[]): void {
    const terms = values.map(String);
    this.inv.add(ord, terms);
    const ids: number[] = [];
    for (const t of terms) ids.push(this.inv.get(t)!.id);
    this.dv.add(ord, ids);
  }
  has(ord: number): boolean {
    return this.dv.has(ord);
  }
  term(id: number): string {
    return this.inv.byId[id].term;
  }
}

export class NumericField {
  readonly kind = 'number' as const;
  readonly dv = new NumericDocValues();
  constructor(readonly info: FieldInfo) {}
  add(ord: number, values: (string | number)[]): void {
    this.dv.add(ord, values as number[]);
  }
  has(ord: number): boolean {
    return this.dv.has(ord);
  }
}

export type FieldIndex = TextField | KeywordField | NumericField;

export function createFieldIndex(info: FieldInfo, withMiniSearch: boolean): FieldIndex | undefined {
  switch (info.kind) {
    case 'text':
      return new TextField(info, withMiniSearch);
    case 'keyword':
      return new KeywordField(info);
    case 'number':
    case 'date':
    case 'boolean':
      return new NumericField(info);
    default:
      return undefined;
  }
}
