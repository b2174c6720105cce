import { templatedTaskPlugin } from "./templated-task";

export const templatingPlugins = [templatedTaskPlugin];
