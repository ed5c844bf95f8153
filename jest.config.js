// Node 20 runs the tests; the AWS SDK's notice that its future versions need Node 22 is noise in every test's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// One Jest project per test layer so each runs alone (npm run test:<layer>) or all together (npm test).
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true } }] };
// The integration and e2e layers run against one local cloud started for the run.
const cloud = { globalSetup: '<rootDir>/test/support/cloud-setup.ts', globalTeardown: '<rootDir>/test/support/cloud-teardown.ts' };
const base = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 90_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], ...cloud },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], ...cloud },
  ],
};
