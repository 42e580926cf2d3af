// Jest 30 + ts-jest on an ES module project (see DESIGN.md): run through
// `node --experimental-vm-modules`, with `.js` stripped from relative imports. The packages'
// specs run from here too; @dockpulse/protocol is read from its TypeScript source, so no build
// is needed first.
const tsJest = {
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@dockpulse/protocol$': '<rootDir>/packages/protocol/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};

export default {
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  testTimeout: 60_000,
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  projects: [
    { ...tsJest, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/packages/*/src/**/*.spec.ts'] },
    { ...tsJest, displayName: 'e2e', rootDir: '.', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/packages/*/test/**/*.e2e-spec.ts'] },
  ],
};
