/**
 * `cls-hooked/context` on Node's AsyncLocalStorage: the functions' bundles get this module in
 * place of the one aws-xray-sdk-core (under Powertools Tracer) requires (esbuild alias, see
 * lib/constructs/service-function.ts).
 *
 * Why not the library: cls-hooked keeps its context with an async hook that tracks every
 * promise's destruction, so every promise any code creates pays a registered destroy callback and
 * a weak reference for the collector. In a CPU profile of the saga bench's Lambda environments that
 * was about 7% of their time (registerDestroyHook alone 3.4%), before the X-Ray SDK did any work.
 * AsyncLocalStorage propagates a store without destroy tracking: `npm run bench -- xray-context`
 * measures a traced invocation with four DynamoDB calls at 0.62x the CPU of cls-hooked's (3.00 ->
 * 1.87 ms). The X-Ray SDK's own move to it
 * (aws/aws-xray-sdk-node#338) is not released, and the drop-in packages on npm are unmaintained.
 *
 * It keeps the part of cls-hooked's behaviour the X-Ray SDK uses: a namespace's contexts inherit
 * from the context they were created in (`createContext`), `run`/`runAndReturn`/`runPromise`/
 * `bind` make a context current for a call and whatever async work it starts, `set`/`get` write
 * and read the current context, and `enter` outside any call sets the context every later call
 * starts from (Lambda's facade segment lives there: the SDK enters it when it loads).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Context = Record<string | symbol, unknown>;

export const ERROR_SYMBOL = 'error@context';

export class Namespace {
  private readonly storage = new AsyncLocalStorage<Context>();
  /** The context entered outside any run: current wherever no run or bind has set another. */
  private base: Context | undefined;
  /** The contexts `enter` replaced inside a run, restored by `exit`. */
  private readonly entered: Context[] = [];

  constructor(readonly name: string) {}

  get active(): Context | undefined {
    return this.storage.getStore() ?? this.base;
  }

  createContext(): Context {
    return Object.create(this.active ?? Object.prototype) as Context;
  }

  set<T>(key: string, value: T): T {
    const context = this.active;
    if (!context) throw new Error('No context available. ns.run() or ns.bind() must be called first.');
    context[key] = value;
    return value;
  }

  get(key: string): unknown {
    return this.active?.[key];
  }

  run(fn: (context: Context) => unknown): Context {
    const context = this.createContext();
    this.within(context, () => fn(context));
    return context;
  }

  runAndReturn<T>(fn: (context: Context) => T): T {
    const context = this.createContext();
    return this.within(context, () => fn(context));
  }

  runPromise<T>(fn: (context: Context) => Promise<T>): Promise<T> {
    const context = this.createContext();
    const promise = this.within(context, () => fn(context));
    if (!promise || typeof promise.then !== 'function') throw new Error('fn must return a promise.');
    return promise.catch((err: unknown) => {
      if (err && typeof err === 'object') (err as Context)[ERROR_SYMBOL] = context;
      throw err;
    });
  }

  bind<F extends (...args: never[]) => unknown>(fn: F, context?: Context): F {
    const bound = context ?? this.active ?? this.createContext();
    const within = this.within.bind(this);
    return function clsBind(this: unknown, ...args: never[]) {
      return within(bound, () => fn.apply(this, args));
    } as unknown as F;
  }

  /** Outside any run: the base context. Inside one: current for the rest of it (AsyncLocalStorage's enterWith), until its exit. */
  enter(context: Context): void {
    const current = this.storage.getStore();
    if (current === undefined) {
      this.base = context;
      return;
    }
    this.entered.push(current);
    this.storage.enterWith(context);
  }

  exit(context: Context): void {
    if (this.storage.getStore() === context && this.entered.length > 0) this.storage.enterWith(this.entered.pop()!);
    else if (this.base === context) this.base = undefined;
  }

  /** The X-Ray SDK binds emitters only in its HTTP server middlewares, which functions do not use. */
  bindEmitter(): void {}

  private within<T>(context: Context, fn: () => T): T {
    try {
      return this.storage.run(context, fn);
    } catch (err) {
      if (err && typeof err === 'object') (err as Context)[ERROR_SYMBOL] = context;
      throw err;
    }
  }
}

const namespaces = new Map<string, Namespace>();

export function getNamespace(name: string): Namespace | undefined {
  return namespaces.get(name);
}

export function createNamespace(name: string): Namespace {
  if (!name) throw new Error('namespace must be given a name.');
  const ns = new Namespace(name);
  namespaces.set(name, ns);
  return ns;
}

export function destroyNamespace(name: string): void {
  if (!namespaces.has(name)) throw new Error(`can't delete nonexistent namespace! "${name}"`);
  namespaces.delete(name);
}

export function reset(): void {
  namespaces.clear();
}
