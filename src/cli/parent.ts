/**
 * Under `npx wsconform …` or an npm script, node's parent is the `sh -c` that npm starts, not
 * npm itself. npm passes a SIGTERM or SIGINT on to that shell, and dash dies of it without
 * passing it on: node would be left running as an orphan, a `serve` holding its port and a
 * `run` writing no report. So, when npm started us, a parent that goes away counts as SIGTERM:
 * the command's own handler stops it cleanly (reports written, exit 130, server closed).
 *
 * Outside npm the watch is off: `wsconform serve &` under `nohup` must outlive its shell.
 */
export function stopWithNpmParent(env: NodeJS.ProcessEnv = process.env, everyMs = 200): (() => void) | undefined {
  if (!env.npm_lifecycle_event && env.npm_command !== 'exec') return undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
