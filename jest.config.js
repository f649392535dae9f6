/** Two tiers: fast unit specs beside the code, e2e suites in test/ that boot the real app. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@hookflow/(engine|nodes|store|queue|common|webhooks|runner|importers)$':
    '<rootDir>/libs/$1/src',
  // The editor imports single pure engine files (see apps/editor/vite.config.mts).
  '^@hookflow/engine/flow-diff$': '<rootDir>/libs/engine/src/flow-diff',
  '^@hookflow/api$': '<rootDir>/apps/api/src',
  '^@hookflow/worker$': '<rootDir>/apps/worker/src',
};

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.(ts|js)$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  // A global option (Jest ignores it per project). Bounded waits inside the tests stop sooner.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,src}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // Real faults with real processes: a private PostgreSQL restarted, slow connections, dropped
      // connections (`npm run faults`; also part of `npm test`).
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
