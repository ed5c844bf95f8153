/**
 * CDK context for the infra tests, which look only at the synthesized templates: no asset
 * bundling. Bundling every function with esbuild costs about 30 s of a synth on a 2-core machine
 * and changes nothing in the templates but the code assets' hashes. The functions are bundled, and
 * run, by the local cloud the integration and e2e tests start (local/synth.ts, as `cdk synth`).
 */
export const TEMPLATE_ONLY: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] };
