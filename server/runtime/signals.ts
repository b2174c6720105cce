// Ctrl-C and `kill` for long-running commands: the first signal asks for an orderly stop,
// a second one exits at once (the embedded PostgreSQL still gets its stop signal from the exit hook
// in server/db/embedded-postgres.ts).

// SIGHUP too: closing the terminal must stop the embedded PostgreSQL, not orphan it.
const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface ShutdownSignal {
  /** Aborted on the first SIGINT, SIGTERM or SIGHUP. */
  signal: AbortSignal;
  /** Resolves with the signal's name when it arrives. */
  received: Promise<NodeJS.Signals>;
  /** Removes the handlers. */
  dispose: () => void;
}

export function listenForShutdown(
  options: { onSecond?: (signal: NodeJS.Signals) => void } = {},
): ShutdownSignal {
  const controller = new AbortController();
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      options.onSecond?.(signal);
      process.exit(130);
    }
    controller.abort(signal);
    resolve(signal);
  };
  for (const signal of signals) process.on(signal, handler);
  return {
    signal: controller.signal,
    received,
    dispose: () => {
      for (const signal of signals) process.removeListener(signal, handler);
    },
  };
}
