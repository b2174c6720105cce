#!/usr/bin/env node
// Entry point of the `cadenza` command. The CLI is TypeScript run through tsx's loader, so a
// clone works without a separate build step; startup costs ~150 ms, which a CLI can afford.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
