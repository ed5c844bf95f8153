/** Builders of Lambda function specs for tests that run the fixture handlers of test/fixtures/handlers. */
import path from 'node:path';
import type { FunctionSpec } from '../../local/lambda';

export const FIXTURE_HANDLERS = path.resolve(__dirname, '..', 'fixtures', 'handlers');

/** A function running `handler` (e.g. "runtime.echo") from the fixture handlers, 3 s and 128 MB unless `extra` says otherwise. */
export function fixtureFunction(name: string, handler: string, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    codeDir: FIXTURE_HANDLERS,
    handler,
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 128,
    ...extra,
  };
}
