// A TCP port nobody listens on right now, for the servers Cadenza starts on this machine (embedded
// PostgreSQL, the Temporal dev server) and the ones tests start. The server binds it a moment later, so
// a caller that loses the race retries.
import net from "node:net";

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
