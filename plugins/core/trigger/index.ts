import { flowTriggerPlugin } from "./flow";
import { schedulePlugin } from "./schedule";
import { scheduleOnDatesPlugin } from "./schedule-on-dates";
import { togglePlugin } from "./toggle";
import { webhookPlugin } from "./webhook";

export { cronProblem, isTimeZone } from "./cron";
export const triggerPlugins = [
  schedulePlugin,
  flowTriggerPlugin,
  webhookPlugin,
  scheduleOnDatesPlugin,
  togglePlugin,
];
