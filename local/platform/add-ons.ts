/**
 * The platform's local stand-ins, started one after the other before the deploy: each may hand
 * the functions variables and print addresses. Composed here so that each service adds its own
 * (the payment provider, the push channel, ...) without knowing the others; if one fails to start,
 * those already started are stopped.
 */
import type { AppHooks, LocalAddOn } from '../app-hooks';

export type AddOnStarter = NonNullable<AppHooks['beforeDeploy']>;

export function combineAddOns(...starters: AddOnStarter[]): AddOnStarter {
  return async (ctx) => {
    const started: LocalAddOn[] = [];
    const stopAll = async () => {
      for (const a of [...started].reverse()) await a.stop?.();
    };
    try {
      for (const start of starters) {
        const addOn = await start(ctx);
        if (addOn) started.push(addOn);
      }
    } catch (err) {
      await stopAll().catch(() => undefined);
      throw err;
    }
    return {
      environment: Object.assign({}, ...started.map((a) => a.environment ?? {})),
      services: Object.assign({}, ...started.map((a) => a.services ?? {})),
      stop: stopAll,
    };
  };
}
