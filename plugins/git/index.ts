import { clonePlugin } from "./clone";

/** Kestra's plugin-git: repositories cloned with the `git` program (see README.md). */
export const gitPlugins = [clonePlugin];
