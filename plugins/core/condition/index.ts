import {
  dateTimeBetweenPlugin,
  dayWeekInMonthPlugin,
  dayWeekPlugin,
  timeBetweenPlugin,
  weekendPlugin,
} from "./date";
import {
  executionFlowPlugin,
  executionLabelsPlugin,
  executionNamespacePlugin,
  executionOutputsPlugin,
  executionStatusPlugin,
  hasRetryAttemptPlugin,
} from "./execution";
import { expressionPlugin, multiplePlugin, notPlugin, orPlugin } from "./logic";
import { publicHolidayPlugin } from "./public-holiday";

export const conditionPlugins = [
  executionStatusPlugin,
  executionFlowPlugin,
  executionNamespacePlugin,
  executionLabelsPlugin,
  executionOutputsPlugin,
  hasRetryAttemptPlugin,
  expressionPlugin,
  notPlugin,
  orPlugin,
  multiplePlugin,
  dateTimeBetweenPlugin,
  timeBetweenPlugin,
  dayWeekPlugin,
  dayWeekInMonthPlugin,
  weekendPlugin,
  publicHolidayPlugin,
];
