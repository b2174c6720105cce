// A real git server for tests: git's own `git http-backend` (CGI) serving the bare repositories of a
// directory over HTTP on 127.0.0.1, behind Basic auth.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function startGitServer(
  root: string,
  login: { username: string; password: string },
): Promise<{ server: Server; url: string }> {
  const expected = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
  const server = createServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    const env: Record<string, string> = {
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method ?? "GET",
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      REMOTE_USER: login.username,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
    };
    const cgi = spawn("git", ["http-backend"], { env: env as NodeJS.ProcessEnv });
    request.pipe(cgi.stdin);
    // The CGI answer: headers, a blank line, then the body.
    let head = Buffer.alloc(0);
    let sent = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (sent) return void response.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const [name = "", ...rest] = line.split(":");
        if (name.toLowerCase() === "status") status = Number.parseInt(rest.join(":").trim(), 10);
        else headers[name] = rest.join(":").trim();
      }
      response.writeHead(status, headers);
      response.write(head.subarray(end + 4));
      sent = true;
    });
    cgi.stdout.on("end", () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
