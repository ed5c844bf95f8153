/**
 * CDK context for infra tests that look only at the synthesized templates: no asset bundling.
 * Bundling every function with esbuild costs about 30 s of a synth on a 2-core machine and changes
 * nothing in the templates but the code assets' hashes; test/infra/app.test.ts synthesizes with the
 * functions bundled, and the local cloud deploys bundled functions in the integration and e2e tests.
 */
export const TEMPLATE_ONLY: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] };
