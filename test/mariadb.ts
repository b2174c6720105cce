// A private MariaDB server for tests: Debian's mariadb-server binaries (installed by .ci/run), a data
// directory in a temporary folder, a free port on 127.0.0.1, a user with a password and an empty `shop`
// database. Tests check `MARIADB_AVAILABLE` and report themselves skipped when the binaries are missing.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { freePort } from "@/server/runtime/free-port";

const MARIADBD = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"].find((path) => existsSync(path));
const INSTALL_DB = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"].find((path) =>
  existsSync(path),
);

/** Whether the MariaDB server binaries are installed (`apt-get install mariadb-server`). */
export const MARIADB_AVAILABLE = Boolean(MARIADBD && INSTALL_DB);

export interface TestMariaDb {
  host: string;
  port: number;
  /** `jdbc:mariadb://127.0.0.1:<port>/shop` */
  url: string;
  username: string;
  password: string;
  /** A connection as the test user, on the `shop` database. */
  admin: mysql.Connection;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<TestMariaDb> {
  if (!MARIADBD || !INSTALL_DB) throw new Error("mariadb-server is not installed");
  const dir = await mkdtemp(join(tmpdir(), "cadenza-mariadb-"));
  const data = join(dir, "data");
  const socket = join(dir, "mariadb.sock");
  const asUser = process.getuid?.() === 0 ? ["--user=root"] : [];
  await promisify(execFile)(INSTALL_DB, [
    "--no-defaults",
    `--datadir=${data}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    ...asUser,
  ]);
  const port = await freePort();
  const server: ChildProcess = spawn(
    MARIADBD,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--pid-file=${join(dir, "mariadb.pid")}`,
      "--skip-name-resolve",
      "--innodb-buffer-pool-size=32M",
      ...asUser,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    server.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let root: mysql.Connection | undefined;
    for (let tries = 0; !root; tries++) {
      if (server.exitCode !== null) throw new Error(`mariadbd exited: ${log}`);
      try {
        root = await mysql.createConnection({ socketPath: socket, user: "root" });
      } catch (error) {
        if (tries > 600) throw new Error(`mariadbd did not start: ${(error as Error).message}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const password = "s3cret'pw";
    await root.query("create database shop");
    await root.query("create user 'cadenza'@'%' identified by ?", [password]);
    await root.query("grant all on shop.* to 'cadenza'@'%'");
    await root.end();
    const admin = await mysql.createConnection({
      host: "127.0.0.1",
      port,
      user: "cadenza",
      password,
      database: "shop",
      multipleStatements: true,
    });
    return {
      host: "127.0.0.1",
      port,
      url: `jdbc:mariadb://127.0.0.1:${port}/shop`,
      username: "cadenza",
      password,
      admin,
      stop: async () => {
        await admin.end().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
