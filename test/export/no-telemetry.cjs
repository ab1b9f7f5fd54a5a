// Preloaded into `artillery run` by the export test: Artillery sends a telemetry event to
// app.posthog.com on every run, even with ARTILLERY_DISABLE_TELEMETRY set (then a minimal one), and
// tests never reach beyond this machine. Its PostHog client is replaced by one that sends nothing.
'use strict';
const Module = require('node:module');
const load = Module._load;
class PostHog {
  capture() {}
  async shutdownAsync() {}
}
Module._load = function (request, ...rest) {
  if (request === 'posthog-node') return { PostHog };
  return load.call(this, request, ...rest);
};
