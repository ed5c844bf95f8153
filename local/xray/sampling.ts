/**
 * Sampling decisions for the traces the local cloud starts: an API Gateway request without a
 * caller's decision, a Lambda invocation without one (an event source mapping's batch, a direct
 * Invoke), a Step Functions execution started without one. A trace that carries a decision
 * (`Sampled=0|1`) keeps it everywhere downstream; only a new root is decided here.
 *
 * A rule is X-Ray's: a reservoir (traces kept each second whatever the rate) and a fixed rate of
 * the rest. AWS's default rule keeps the first request each second and 5% of the others; its
 * reservoir is shared by every service that samples by the rule (X-Ray hands the quota out across
 * them), so here one reservoir serves the whole local cloud.
 *
 * Locally the default is to keep every trace (`all`): a developer's requests are few and each
 * should show in the console. `default` applies AWS's rule (what a deployed stack runs with, and
 * what the saga bench measures: a sampled-out request costs the functions no segments, no UDP
 * sends); `<reservoir>/<rate>` (e.g. `1/0.05`, `10/0.1`) another rule; `none` keeps nothing.
 */

export interface SamplingRule {
  /** traces kept each second before the fixed rate applies */
  reservoirPerSecond: number;
  /** share (0-1) of the requests past the reservoir that are kept */
  fixedRate: number;
}

/** AWS's default sampling rule. */
export const AWS_DEFAULT_RULE: SamplingRule = Object.freeze({ reservoirPerSecond: 1, fixedRate: 0.05 });

export type SamplingSetting = 'all' | 'none' | SamplingRule;

/** Reads `all`, `none`, `default` or `<reservoir>/<rate>`; throws on anything else, naming it. */
export function parseSampling(value: string | undefined): SamplingSetting {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'all') return 'all';
  if (v === 'none') return 'none';
  if (v === 'default') return AWS_DEFAULT_RULE;
  const m = /^(\d+)\/(\d*\.?\d+)$/.exec(v);
  if (m) {
    const rule = { reservoirPerSecond: Number(m[1]), fixedRate: Number(m[2]) };
    if (rule.fixedRate <= 1) return rule;
  }
  throw new Error(`X-Ray sampling must be all, none, default (AWS's rule: 1 a second and 5% more) or <reservoir>/<rate> such as 1/0.05; got ${JSON.stringify(value)}`);
}

export function describeSampling(s: SamplingSetting): string {
  if (s === 'all' || s === 'none') return s;
  const rule = `${s.reservoirPerSecond}/s + ${+(s.fixedRate * 100).toFixed(2)}%`;
  return s.reservoirPerSecond === AWS_DEFAULT_RULE.reservoirPerSecond && s.fixedRate === AWS_DEFAULT_RULE.fixedRate ? `AWS default rule (${rule})` : rule;
}

export class Sampler {
  private second = -1;
  private taken = 0;

  constructor(
    readonly setting: SamplingSetting,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The decision for a new trace. */
  sample(): boolean {
    const s = this.setting;
    if (s === 'all') return true;
    if (s === 'none') return false;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.taken = 0;
    }
    if (this.taken < s.reservoirPerSecond) {
      this.taken++;
      return true;
    }
    return this.random() < s.fixedRate;
  }
}
