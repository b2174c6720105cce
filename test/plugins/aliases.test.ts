import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";

const registry = builtInRegistry();

/** Kestra's names and old aliases of the plugins of this group, each with the canonical type they must reach. */
const EXPECTED: Record<string, string[]> = {
  "core.kv.Set": ["io.kestra.plugin.core.kv.Set"],
  "jdbc.postgresql.Query": ["io.kestra.plugin.jdbc.postgresql.Query"],
  "jdbc.postgresql.Queries": ["io.kestra.plugin.jdbc.postgresql.Queries"],
  "jdbc.postgresql.CopyIn": ["io.kestra.plugin.jdbc.postgresql.CopyIn"],
  "jdbc.postgresql.CopyOut": ["io.kestra.plugin.jdbc.postgresql.CopyOut"],
  "jdbc.postgresql.Trigger": ["io.kestra.plugin.jdbc.postgresql.Trigger"],
  "jdbc.mysql.Query": ["io.kestra.plugin.jdbc.mysql.Query", "io.kestra.plugin.jdbc.mariadb.Query"],
  "jdbc.mysql.Queries": ["io.kestra.plugin.jdbc.mysql.Queries", "io.kestra.plugin.jdbc.mariadb.Queries"],
  "jdbc.mysql.Trigger": ["io.kestra.plugin.jdbc.mysql.Trigger", "io.kestra.plugin.jdbc.mariadb.Trigger"],
  "core.kv.Get": ["io.kestra.plugin.core.kv.Get"],
  "core.kv.GetKeys": ["io.kestra.plugin.core.kv.GetKeys"],
  "core.kv.Delete": ["io.kestra.plugin.core.kv.Delete"],
  "core.storage.Concat": ["io.kestra.plugin.core.storage.Concat", "io.kestra.core.tasks.storages.Concat"],
  "core.storage.DeduplicateItems": [
    "io.kestra.plugin.core.storage.DeduplicateItems",
    "io.kestra.core.tasks.storages.DeduplicateItems",
  ],
  "core.storage.Delete": ["io.kestra.plugin.core.storage.Delete", "io.kestra.core.tasks.storages.Delete"],
  "core.storage.FilterItems": [
    "io.kestra.plugin.core.storage.FilterItems",
    "io.kestra.core.tasks.storages.FilterItems",
  ],
  "core.storage.Reverse": ["io.kestra.plugin.core.storage.Reverse", "io.kestra.core.tasks.storages.Reverse"],
  "core.storage.Size": ["io.kestra.plugin.core.storage.Size", "io.kestra.core.tasks.storages.Size"],
  "core.storage.Split": ["io.kestra.plugin.core.storage.Split", "io.kestra.core.tasks.storages.Split"],
  "core.storage.PurgeCurrentExecutionFiles": [
    "io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles",
    "io.kestra.plugin.core.storage.PurgeExecution",
    "io.kestra.core.tasks.storages.PurgeExecution",
  ],
  "core.storage.LocalFiles": [
    "io.kestra.plugin.core.storage.LocalFiles",
    "io.kestra.core.tasks.storages.LocalFiles",
  ],
  "core.namespace.UploadFiles": ["io.kestra.plugin.core.namespace.UploadFiles"],
  "core.namespace.DownloadFiles": ["io.kestra.plugin.core.namespace.DownloadFiles"],
  "core.namespace.DeleteFiles": ["io.kestra.plugin.core.namespace.DeleteFiles"],
  "core.http.Request": ["io.kestra.plugin.core.http.Request", "io.kestra.plugin.fs.http.Request"],
  "core.http.Download": ["io.kestra.plugin.core.http.Download", "io.kestra.plugin.fs.http.Download"],
  "core.http.Trigger": ["io.kestra.plugin.core.http.Trigger", "io.kestra.plugin.fs.http.Trigger"],
  "scripts.shell.Commands": ["io.kestra.plugin.scripts.shell.Commands", "io.kestra.core.tasks.scripts.Bash"],
  "scripts.shell.Script": ["io.kestra.plugin.scripts.shell.Script"],
  "scripts.python.Commands": [
    "io.kestra.plugin.scripts.python.Commands",
    "io.kestra.core.tasks.scripts.Python",
  ],
  "scripts.python.Script": ["io.kestra.plugin.scripts.python.Script"],
  "scripts.node.Commands": ["io.kestra.plugin.scripts.node.Commands", "io.kestra.core.tasks.scripts.Node"],
  "scripts.node.Script": ["io.kestra.plugin.scripts.node.Script"],
  "core.log.Fetch": ["io.kestra.plugin.core.log.Fetch", "io.kestra.core.tasks.log.Fetch"],
  "core.log.PurgeLogs": ["io.kestra.plugin.core.log.PurgeLogs"],
  "core.execution.Count": ["io.kestra.plugin.core.execution.Count", "io.kestra.core.tasks.executions.Counts"],
  "core.execution.Resume": ["io.kestra.plugin.core.execution.Resume"],
  "core.execution.Kill": ["io.kestra.plugin.core.execution.Kill"],
  "core.execution.PurgeExecutions": [
    "io.kestra.plugin.core.execution.PurgeExecutions",
    "io.kestra.core.tasks.storages.Purge",
    "io.kestra.plugin.core.storage.Purge",
  ],
  "core.execution.Assert": ["io.kestra.plugin.core.execution.Assert"],
  "core.trigger.Toggle": ["io.kestra.plugin.core.trigger.Toggle", "io.kestra.core.tasks.trigger.Toggle"],
  "core.templating.TemplatedTask": [
    "io.kestra.plugin.core.templating.TemplatedTask",
    "io.kestra.core.tasks.templating.TemplatedTask",
  ],
  "core.state.Set": ["io.kestra.plugin.core.state.Set", "io.kestra.core.tasks.states.Set"],
  "core.state.Get": ["io.kestra.plugin.core.state.Get", "io.kestra.core.tasks.states.Get"],
  "core.state.Delete": ["io.kestra.plugin.core.state.Delete", "io.kestra.core.tasks.states.Delete"],
  "notifications.slack.SlackIncomingWebhook": [
    "io.kestra.plugin.notifications.slack.SlackIncomingWebhook",
    "io.kestra.plugin.slack.notifications.SlackIncomingWebhook",
  ],
  "notifications.slack.SlackExecution": [
    "io.kestra.plugin.notifications.slack.SlackExecution",
    "io.kestra.plugin.slack.SlackExecution",
  ],
  "notifications.discord.DiscordIncomingWebhook": [
    "io.kestra.plugin.notifications.discord.DiscordIncomingWebhook",
  ],
  "notifications.discord.DiscordExecution": ["io.kestra.plugin.notifications.discord.DiscordExecution"],
  "notifications.teams.TeamsIncomingWebhook": ["io.kestra.plugin.notifications.teams.TeamsIncomingWebhook"],
  "notifications.teams.TeamsExecution": [
    "io.kestra.plugin.notifications.teams.TeamsExecution",
    "io.kestra.plugin.microsoft365.teams.TeamsExecution",
  ],
  "notifications.google.GoogleChatIncomingWebhook": [
    "io.kestra.plugin.notifications.google.GoogleChatIncomingWebhook",
  ],
  "notifications.google.GoogleChatExecution": ["io.kestra.plugin.notifications.google.GoogleChatExecution"],
  "notifications.telegram.TelegramSend": ["io.kestra.plugin.notifications.telegram.TelegramSend"],
  "notifications.telegram.TelegramExecution": ["io.kestra.plugin.notifications.telegram.TelegramExecution"],
  "git.Clone": ["io.kestra.plugin.git.Clone"],
  "notifications.mail.MailSend": [
    "io.kestra.plugin.notifications.mail.MailSend",
    "io.kestra.plugin.email.MailSend",
  ],
  "notifications.mail.MailExecution": [
    "io.kestra.plugin.notifications.mail.MailExecution",
    "io.kestra.plugin.email.MailExecution",
  ],
  "serdes.csv.CsvToIon": ["io.kestra.plugin.serdes.csv.CsvToIon"],
  "serdes.csv.IonToCsv": ["io.kestra.plugin.serdes.csv.IonToCsv"],
  "serdes.json.JsonToIon": ["io.kestra.plugin.serdes.json.JsonToIon"],
  "serdes.json.IonToJson": ["io.kestra.plugin.serdes.json.IonToJson"],
};

describe("Kestra names and old aliases resolve to the plugin", () => {
  it.each(Object.entries(EXPECTED))("%s", (type, names) => {
    const plugin = registry.get(type);
    expect(plugin?.type).toBe(type);
    for (const name of names) expect(registry.get(name), name).toBe(plugin);
  });

  it("registers the HTTP trigger as a trigger and Toggle as a task", () => {
    expect(registry.get("core.http.Trigger")?.kind).toBe("trigger");
    expect(registry.get("core.trigger.Toggle")?.kind).toBe("runnable");
  });
});
