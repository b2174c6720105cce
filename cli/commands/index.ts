import type { Command } from "../command";
import { adminBootstrap } from "./admin-bootstrap";
import { flowDeploy } from "./flow-deploy";
import { flowRun } from "./flow-run";
import { flowValidate } from "./flow-validate";
import { migrate } from "./migrate";
import { pluginsDocs } from "./plugins-docs";
import { pluginsSchema } from "./plugins-schema";
import { serverEngine, serverTemporalWorker } from "./server-engine";
import { serverWeb } from "./server-web";
import { start } from "./start";
import { tokenCreate } from "./token-create";

/**
 * Every `cadenza` sub-command. Each lives in its own file in this folder; add it here to expose it.
 * Kept sorted by path so `cadenza --help` reads well.
 */
export const commands: Command[] = [
  adminBootstrap,
  flowDeploy,
  flowRun,
  flowValidate,
  migrate,
  pluginsDocs,
  pluginsSchema,
  serverEngine,
  serverTemporalWorker,
  serverWeb,
  start,
  tokenCreate,
];
