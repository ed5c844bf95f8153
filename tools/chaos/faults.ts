/**
 * The chaos scenarios: each injects one fault into a running local cloud while load runs, and
 * undoes it (or lets the platform recover) before the invariants are checked.
 *
 *   inventory-stopped   the inventory functions throttled to 0 (PutFunctionConcurrency on the edge), restored later
 *   payment-down        the payment provider simulator fails every call (PUT /_sim/config {"failure_rate": 1}), restored later
 *   kafka-stopped       the broker stopped for --fault-duration (default 30 s) through the edge's /_local/chaos switch
 *   redis-restarted     Redis stopped and started again (its AOF keeps the data)
 *   cloud-killed        the whole local cloud killed with SIGKILL, then started again on the same data folder
 */
import { DeleteFunctionConcurrencyCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import type { CloudProcess } from '../load/cloud-process';
import { awsConfig, type Target } from '../load/target';

export const FAULTS = ['inventory-stopped', 'payment-down', 'kafka-stopped', 'redis-restarted', 'cloud-killed'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultPlan {
  /** the faults at their offsets into the load phase */
  schedule: Array<{ atMs: number; name: string; run: () => Promise<void> }>;
  /** makes sure the fault is over before the settle period (idempotent) */
  heal: () => Promise<void>;
}

export interface FaultContext {
  target: () => Target;
  /** the cloud as a process of ours (needed by cloud-killed) */
  cloud?: CloudProcess;
  durationMs: number;
  /** how long the fault lasts (kafka-stopped: default 30 s; others: a third of the load) */
  faultMs?: number;
  log: (m: string) => void;
}

/** The inventory service's functions: its API, its saga tasks, its stock stream and its catalog-events consumer. */
export const inventoryFunctions = (t: Target) => t.functions.filter((f) => /Inventory/.test(f));

async function chaosSwitch(t: Target, action: string): Promise<void> {
  const res = await fetch(`${t.edgeUrl}/_local/chaos/${action}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`POST /_local/chaos/${action}: ${res.status} ${await res.text()} (was the cloud started with --fault-injection?)`);
}

async function simConfig(t: Target, config: Record<string, number>): Promise<void> {
  if (!t.providerUrl) throw new Error('the endpoints document names no payment provider');
  const res = await fetch(`${t.providerUrl}/_sim/config`, { method: 'PUT', body: JSON.stringify(config) });
  if (res.status !== 200) throw new Error(`PUT /_sim/config: ${res.status} ${await res.text()}`);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function planFault(fault: Fault, c: FaultContext): FaultPlan {
  const at = Math.round(c.durationMs / 3);
  const lasting = c.faultMs ?? (fault === 'kafka-stopped' ? 30_000 : Math.round(c.durationMs / 3));
  const once = (fn: () => Promise<void>) => {
    let p: Promise<void> | undefined;
    return () => (p ??= fn());
  };
  switch (fault) {
    case 'inventory-stopped': {
      const lambda = () => new LambdaClient({ ...awsConfig(c.target()), maxAttempts: 5 });
      const restore = once(async () => {
        const client = lambda();
        for (const fn of inventoryFunctions(c.target())) await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn }));
        client.destroy();
        c.log('chaos: inventory functions restored');
      });
      return {
        schedule: [
          {
            atMs: at,
            name: 'inventory throttled to 0',
            run: async () => {
              const client = lambda();
              for (const fn of inventoryFunctions(c.target())) await client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
              client.destroy();
              c.log(`chaos: ${inventoryFunctions(c.target()).length} inventory functions throttled to 0 for ${lasting / 1000} s`);
              await pause(lasting);
              await restore();
            },
          },
        ],
        heal: restore,
      };
    }
    case 'payment-down': {
      const restore = once(async () => {
        await simConfig(c.target(), { failure_rate: 0 });
        c.log('chaos: payment provider back');
      });
      return {
        schedule: [
          {
            atMs: at,
            name: 'payment provider down',
            run: async () => {
              await simConfig(c.target(), { failure_rate: 1 });
              c.log(`chaos: payment provider failing every call for ${lasting / 1000} s`);
              await pause(lasting);
              await restore();
            },
          },
        ],
        heal: restore,
      };
    }
    case 'kafka-stopped': {
      const restart = once(async () => {
        await chaosSwitch(c.target(), 'kafka/start');
        c.log('chaos: Kafka broker started again');
      });
      return {
        schedule: [
          {
            atMs: at,
            name: `Kafka stopped for ${lasting / 1000} s`,
            run: async () => {
              await chaosSwitch(c.target(), 'kafka/stop');
              c.log(`chaos: Kafka broker stopped for ${lasting / 1000} s`);
              await pause(lasting);
              await restart();
            },
          },
        ],
        heal: restart,
      };
    }
    case 'redis-restarted':
      return {
        schedule: [
          {
            atMs: at,
            name: 'Redis restarted',
            run: async () => {
              await chaosSwitch(c.target(), 'redis/restart');
              c.log('chaos: Redis restarted');
            },
          },
        ],
        heal: async () => undefined,
      };
    case 'cloud-killed': {
      const cloud = c.cloud;
      if (!cloud) throw new Error('cloud-killed needs a local cloud started by the chaos run (not --data-dir)');
      const back = once(async () => {
        const t = await cloud.restart();
        c.log(`chaos: local cloud started again (API ${t.apiUrl})`);
      });
      return {
        schedule: [
          {
            atMs: at,
            name: 'local cloud killed (SIGKILL)',
            run: async () => {
              await cloud.kill9();
              c.log('chaos: local cloud killed with SIGKILL; starting it again');
              await back();
            },
          },
        ],
        heal: back,
      };
    }
  }
}
