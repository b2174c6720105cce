// The parts of pg-cursor and pg-copy-streams (no type definitions of their own) that the tasks use.
declare module "pg-cursor" {
  import type { CustomTypesConfig, Submittable } from "pg";
  export default class Cursor<Row = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: unknown[], config?: { types?: CustomTypesConfig; rowMode?: "array" });
    submit: Submittable["submit"];
    read(rows: number): Promise<Row[]>;
    close(): Promise<void>;
  }
}

declare module "pg-copy-streams" {
  import type { Readable, Writable } from "node:stream";
  import type { Submittable } from "pg";
  export function to(text: string): Readable & Submittable & { rowCount: number };
  export function from(text: string): Writable & Submittable & { rowCount: number };
}
