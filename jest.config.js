// Node 20 runs the tests; the AWS SDK's notice that its future versions need Node 22 is noise in every test's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// One Jest project per test layer so each runs alone (npm run test:<layer>) or all together (npm test).
const tsJest = (tsconfig = {}) => ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true, ...tsconfig } }];
// middy ships as ES modules only: its files are compiled to CommonJS like the sources, so unit
// tests can run the real middleware engine (the functions get it bundled by esbuild).
const transform = { '^.+\\.ts$': tsJest(), '/node_modules/@middy/.+\\.js$': tsJest({ allowJs: true }) };
const transformIgnorePatterns = ['/node_modules/(?!@middy/)'];
// ...and found by their files, since their package exports name only the `import` condition.
const moduleNameMapper = { '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js' };
// The integration and e2e layers run against one local cloud started for the run.
const cloud = { globalSetup: '<rootDir>/test/support/cloud-setup.ts', globalTeardown: '<rootDir>/test/support/cloud-teardown.ts' };
const base = { testEnvironment: 'node', transform, transformIgnorePatterns, moduleNameMapper, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 90_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], ...cloud },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], ...cloud },
    // load under injected faults, each on a cloud of its own: long (minutes per scenario), so not in `npm test`; `npm run test:chaos`
    { ...base, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.test.ts'] },
  ],
};
