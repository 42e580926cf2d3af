// Jest 30 + ts-jest on an ES module project (see DESIGN.md): run through
// `node --experimental-vm-modules`, with `.js` stripped from relative imports.
const tsJest = {
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};

export default {
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  testTimeout: 60_000,
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  projects: [
    { ...tsJest, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...tsJest, displayName: 'e2e', rootDir: '.', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
