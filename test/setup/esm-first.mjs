// Loaded before each test file, in its module registry (jest.config.cjs, setupFilesAfterEnv).
//
// @nestjs/throttler is CommonJS and require()s @nestjs/common and @nestjs/core, which are ES modules. Node 24
// loads that (require(esm)) once those modules have been evaluated, as they have when the server imports
// them first. Jest's ESM mode instead links a test's whole import graph before evaluating it, and evaluates
// a CommonJS import while linking, so the require() would land on a module still being linked ("Cannot
// require() ES Module … in a cycle"). Evaluating both here first gives Jest the order Node has.
await import('@nestjs/common');
await import('@nestjs/core');
