// API keys, usage plans and throttling: decides whether a request to an API stage may proceed.
// Order as API Gateway applies it: API key (403), quota (429 Limit Exceeded), per-client and per-method usage-plan
// throttles, then the stage-level throttle shared by all callers (429 Too Many Requests).
import { Forbidden, LimitExceeded, TooManyRequests } from './responses';
import { QuotaStore } from './quota-store';
import { TokenBucket, takeAll } from './token-bucket';
import type { CompiledMethod } from './router';
import type { RestApiSpec, ThrottleSettings } from './types';

type PlanSpec = RestApiSpec['usagePlans'][number];
type KeySpec = RestApiSpec['apiKeys'][number];

/** A usage plan as attached to one API stage. */
interface StagePlan {
  plan: PlanRuntime;
  methodThrottle: Map<string, ThrottleSettings>;
  /** Per (key, method) buckets, created on first use. */
  methodBuckets: Map<string, TokenBucket>;
}

class PlanRuntime {
  /** Per-client buckets (one per key), shared by every stage of the plan. */
  readonly keyBuckets = new Map<string, TokenBucket>();
  constructor(readonly spec: PlanSpec) {}
}

export class StageUsage {
  readonly plansByKeyId = new Map<string, StagePlan>();
  stageBucket: TokenBucket | null = null;
}

export class UsagePlans {
  private readonly keysByValue = new Map<string, KeySpec>();
  private readonly plans = new Map<string, PlanRuntime>();
  private readonly stages = new Map<string, StageUsage>();

  constructor(
    apis: RestApiSpec[],
    private readonly quotas: QuotaStore,
    now: number,
  ) {
    for (const api of apis) {
      for (const k of api.apiKeys) if (!this.keysByValue.has(k.value)) this.keysByValue.set(k.value, k);
      for (const p of api.usagePlans) if (!this.plans.has(p.id)) this.plans.set(p.id, new PlanRuntime(p));
    }
    for (const api of apis) {
      const usage = new StageUsage();
      if (api.stageThrottle) usage.stageBucket = new TokenBucket(api.stageThrottle.rateLimit, api.stageThrottle.burstLimit, now);
      this.stages.set(stageKey(api.id, api.stageName), usage);
    }
    for (const plan of this.plans.values()) {
      for (const st of plan.spec.apiStages) {
        const usage = this.stages.get(stageKey(st.apiId, st.stage));
        if (!usage) continue;
        const methodThrottle = new Map(Object.entries(st.throttle ?? {}));
        for (const keyId of plan.spec.keyIds) {
          // A key belongs to at most one plan per API stage (API Gateway rejects a second one); first wins here.
          if (!usage.plansByKeyId.has(keyId)) usage.plansByKeyId.set(keyId, { plan, methodThrottle, methodBuckets: new Map() });
        }
      }
    }
  }

  stage(apiId: string, stage: string): StageUsage {
    let s = this.stages.get(stageKey(apiId, stage));
    if (!s) {
      s = new StageUsage();
      this.stages.set(stageKey(apiId, stage), s);
    }
    return s;
  }

  /** Admits a request (returning the API key it used, if the method requires one) or throws the GatewayError. */
  admit(usage: StageUsage, method: CompiledMethod, apiKeyValue: string | undefined, now: number): KeySpec | null {
    if (method.spec.apiKeyRequired) {
      const k = apiKeyValue ? this.keysByValue.get(apiKeyValue) : undefined;
      if (!k || !k.enabled) throw new Forbidden();
      const sp = usage.plansByKeyId.get(k.id);
      if (!sp) throw new Forbidden();
      const plan = sp.plan.spec;
      if (plan.quota && !this.quotas.hasRoom(plan.id, k.id, plan.quota, now)) throw new LimitExceeded();
      const buckets: TokenBucket[] = [];
      const mt = sp.methodThrottle.get(method.throttleKey);
      if (mt) {
        const id = `${k.id} ${method.throttleKey}`;
        let b = sp.methodBuckets.get(id);
        if (!b) {
          b = new TokenBucket(mt.rateLimit, mt.burstLimit, now);
          sp.methodBuckets.set(id, b);
        }
        buckets.push(b);
      }
      if (plan.throttle) {
        let b = sp.plan.keyBuckets.get(k.id);
        if (!b) {
          b = new TokenBucket(plan.throttle.rateLimit, plan.throttle.burstLimit, now);
          sp.plan.keyBuckets.set(k.id, b);
        }
        buckets.push(b);
      }
      if (usage.stageBucket) buckets.push(usage.stageBucket);
      if (!takeAll(buckets, now)) throw new TooManyRequests();
      if (plan.quota) this.quotas.consume(plan.id, k.id, plan.quota, now);
      return k;
    }
    if (usage.stageBucket && !usage.stageBucket.tryTake(now)) throw new TooManyRequests();
    return null;
  }

}

function stageKey(apiId: string, stage: string): string {
  return `${apiId}/${stage}`;
}
