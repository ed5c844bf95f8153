/**
 * How an application deployed on the local cloud adds its own steps without the local cloud
 * knowing it: which usage plan's key to print, what to do once everything is deployed (sample
 * data, say), and the calls to suggest. The local cloud itself could deploy any CDK app.
 */
import type { LocalCloudConfig } from './config';
import type { Endpoints } from './endpoints';
import type { Progress } from './progress';

export interface AppContext {
  endpoints: Endpoints;
  config: LocalCloudConfig;
  progress: Progress;
}

/** What an app's own local stand-ins (a fake third-party provider, say) add before the deploy. */
export interface LocalAddOn {
  /** variables every function gets on top of the local cloud's (e.g. the stand-in's URL) */
  environment?: Record<string, string>;
  /** addresses printed and written to the endpoints document's `services` */
  services?: Record<string, string>;
  stop?(): Promise<void>;
}

export interface AppHooks {
  /** runs before the template is deployed: the app starts its own local stand-ins */
  beforeDeploy?(ctx: Omit<AppContext, 'endpoints'> & { edgeUrl: string }): Promise<LocalAddOn | void>;
  /** the name a usage plan goes by in the endpoints document (default: its own name) */
  planAlias?(planName: string): string;
  /** the plan (alias) whose key is printed and written as `api_key` (default: the first plan) */
  primaryPlan?: string;
  /** runs once the API answers, before the cloud reports ready; may hand back work that goes on in the background */
  afterDeploy?(ctx: AppContext, signal: AbortSignal): Promise<{ background?: Promise<void> } | void>;
  /** the calls printed under "Try:" */
  tryCalls?(endpoints: Endpoints): string[];
  /**
   * Prometheus kinds of the app's metrics where the unit does not tell (a `Count` that is a level,
   * such as active orders, is a gauge, not a counter); by metric name
   */
  metricKinds?: Record<string, 'counter' | 'gauge' | 'summary'>;
  /** the Prometheus name prefix of a metrics namespace (default: the namespace in snake case) */
  metricNamespacePrefixes?: Record<string, string>;
}
