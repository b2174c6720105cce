import type { Command } from "../command";

/**
 * Every `cadenza` sub-command. Each lives in its own file in this folder; add it here to expose it.
 * Kept sorted by path so `cadenza --help` reads well.
 */
export const commands: Command[] = [];
