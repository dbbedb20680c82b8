/** Jest configuration. Unit specs beside the code (src/**\/*.spec.ts); integration and browser tests in test/ (*.e2e-spec.ts). */
const swcTs = {
  swcrc: false,
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  // The project is ESM (NestJS 12 ships ESM only); Jest runs it in its native ESM mode
  // (`node --experimental-vm-modules`, see the test script), so nothing in node_modules is transformed.
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import each other as './x.js' (Node ESM); under Jest that is the './x.ts' file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', swcTs] },
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  setupFilesAfterEnv: ['<rootDir>/test/setup/esm-first.mjs'],
  testTimeout: 60_000,
  // One suite at a time: the machines are 2 cores, and the browser and database suites each want one.
  maxWorkers: 1,
};
