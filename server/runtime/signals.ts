// Ctrl-C and `kill` for long-running commands: the first SIGINT/SIGTERM asks for an orderly stop,
// a second one exits at once (the embedded PostgreSQL still gets its stop signal from the exit hook
// in server/db/embedded-postgres.ts).

export interface ShutdownSignal {
  /** Aborted on the first SIGINT or SIGTERM. */
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
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    received,
    dispose: () => {
      process.removeListener("SIGINT", handler);
      process.removeListener("SIGTERM", handler);
    },
  };
}
