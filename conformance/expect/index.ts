/** Shared wait-and-match helpers of the checks: each check ends in a call to one of these. */
export * from './answer.js';
export * from './auth.js';
export * from './basis.js';
export * from './connection.js';
export * from './heartbeat.js';
export * from './operations.js';
export * from './received.js';
