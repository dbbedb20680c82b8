/**
 * Shapes of the HTTP API shared by the server and the web app (`client/` imports them), so the two cannot drift.
 * Pure types and constants only: no decorators, no Node imports. One file per domain; this one gathers them.
 */
export * from './common.js';
export * from './accounts.js';
export * from './schools.js';
export * from './catalogue.js';
export * from './resources.js';
export * from './scheduling.js';
export * from './recordings.js';
