import type { Connection } from "@temporalio/client";
import { SEARCH_ATTRIBUTES } from "./names";

/** Temporal's IndexedValueType numbers of the types SEARCH_ATTRIBUTES use. */
const INDEXED_TYPE = { KEYWORD: 2, KEYWORD_LIST: 7 } as const;
const TYPE_NAME = { KEYWORD: "Keyword", KEYWORD_LIST: "KeywordList" } as const;

/** The commands that register the attributes on a namespace (as deploy/README.md shows them). */
export function searchAttributeCommands(namespace: string): string[] {
  return Object.values(SEARCH_ATTRIBUTES).map(
    (key) =>
      `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${
        TYPE_NAME[key.type as keyof typeof TYPE_NAME]
      }`,
  );
}

/** `--search-attribute Name=Type` pairs for `temporal server start-dev`. */
export function devServerSearchAttributes(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).flatMap((key) => [
    "--search-attribute",
    `${key.name}=${TYPE_NAME[key.type as keyof typeof TYPE_NAME]}`,
  ]);
}

/**
 * Which of SEARCH_ATTRIBUTES the namespace has registered with their type: the workflows set only those
 * (an unknown attribute would fail every workflow task). Missing ones, or a server that does not say
 * (no operator permission), are reported once and the executions run without them.
 */
export async function registeredSearchAttributes(
  connection: Connection,
  namespace: string,
  report: (message: string, error?: unknown) => void,
): Promise<string[]> {
  let custom: Record<string, unknown>;
  try {
    custom = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (error) {
    report(
      `Temporal search attributes could not be listed on namespace ${namespace}: executions are not findable by CadenzaTenant, CadenzaState... in Temporal's UI. Register them with: ${searchAttributeCommands(namespace).join("; ")}`,
      error,
    );
    return [];
  }
  const wanted = Object.values(SEARCH_ATTRIBUTES);
  const ok = wanted.filter((key) => custom[key.name] === INDEXED_TYPE[key.type as keyof typeof INDEXED_TYPE]);
  if (ok.length < wanted.length) {
    const missing = wanted.filter((key) => !ok.includes(key));
    report(
      `Temporal search attributes ${missing.map((k) => k.name).join(", ")} are not registered (with their type) on namespace ${namespace}: executions run without them. Register them with: ${searchAttributeCommands(
        namespace,
      )
        .filter((command) => missing.some((k) => command.includes(`--name ${k.name} `)))
        .join("; ")}`,
    );
  }
  return ok.map((key) => key.name);
}
