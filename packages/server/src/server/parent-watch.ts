/**
 * Stops the server when the npm process that started it is gone. `npx strowger start` runs the
 * command through `sh -c`, and on SIGTERM npm signals that shell, which dies without passing the
 * signal on (dash does not), so the server would live on with its ports and data directory. Started
 * through npm (npm sets `npm_command`), the server is npm's child in spirit: when its parent process
 * changes (it was re-parented to init or a subreaper), it stops as on SIGTERM.
 *
 * Run any other way (systemd, a container, `node dist/...`, `nohup … &`), it does nothing, so a
 * server deliberately left running after its shell exits keeps running.
 */
export function followNpmParent(options: {
  env?: NodeJS.ProcessEnv;
  onOrphaned: () => void;
  intervalMs?: number;
  parentPid?: () => number;
}): () => void {
  const env = options.env ?? process.env;
  if (env.npm_command === undefined) return () => undefined;
  const parentPid = options.parentPid ?? (() => process.ppid);
  const original = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === original) return;
    clearInterval(timer);
    options.onOrphaned();
  }, options.intervalMs ?? 500);
  // The listeners keep the process alive; this check alone must not.
  timer.unref();
  return () => clearInterval(timer);
}
