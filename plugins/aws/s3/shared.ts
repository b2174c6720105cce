// What several aws.s3 tasks share: the S3Object output, the after-download action (MOVE / DELETE / NONE)
// of Downloads and the Trigger, and the download of listed objects into the internal storage.
import { z } from "zod";
import type { FileStorage } from "@/engine/plugin";
import type { S3ListedObject } from "../s3-protocol";
import type { S3Client } from "./client";

/** Kestra's `io.kestra.plugin.aws.s3.models.S3Object`. */
export const s3ObjectOutput = z.object({
  key: z.string().describe("The object's key."),
  etag: z.string().optional().describe("The object's ETag."),
  size: z.number().int().describe("Its size in bytes."),
  lastModified: z.string().optional().describe("When it was last written (ISO-8601)."),
  owner: z
    .object({ id: z.string().optional(), displayName: z.string().optional() })
    .optional()
    .describe("Its owner."),
  uri: z
    .string()
    .optional()
    .describe("Where it was downloaded in the internal storage (Downloads, Trigger)."),
});

export type S3ObjectOutput = z.output<typeof s3ObjectOutput>;

export const toOutput = (object: S3ListedObject, uri?: string): S3ObjectOutput => ({
  key: object.key,
  ...(object.etag ? { etag: object.etag } : {}),
  size: object.size,
  ...(object.lastModified ? { lastModified: object.lastModified } : {}),
  ...(object.owner ? { owner: object.owner } : {}),
  ...(uri ? { uri } : {}),
});

/** Kestra's `action` and `moveTo` (Downloads and the Trigger). */
export const actionShape = {
  action: z
    .enum(["MOVE", "DELETE", "NONE"])
    .describe(
      "What to do with each object once downloaded: MOVE it to `moveTo`, DELETE it, or NONE (the flow must then keep a trigger from taking the same objects again).",
    ),
  moveTo: z
    .object({
      bucket: z.string().optional().describe("The bucket to move to; default the same bucket."),
      key: z.string().min(1).describe("The key prefix (a directory) the objects are moved under."),
    })
    .optional()
    .describe("Where MOVE puts the objects: `{key}/{file name}`, in `bucket`."),
};

export type Action = {
  action: "MOVE" | "DELETE" | "NONE";
  moveTo?: { bucket?: string | undefined; key: string } | undefined;
};

export function checkAction(p: Action): void {
  if (p.action === "MOVE" && !p.moveTo)
    throw new Error("action MOVE needs moveTo (the key prefix to move the objects under)");
}

/** The last segment of a key: `a/b/c.csv` gives `c.csv`. */
export const fileNameOf = (key: string) => key.replace(/\/+$/, "").split("/").pop() || "object";

/**
 * Downloads each listed object into the internal storage (`uriOf` names the file), then applies the action
 * to each: the action runs only after every download succeeded, so a failed run leaves the bucket as it was.
 */
export async function downloadAll(
  client: S3Client,
  storage: FileStorage,
  bucket: string,
  objects: S3ListedObject[],
  uriOf: (object: S3ListedObject) => string,
  action: Action,
): Promise<S3ObjectOutput[]> {
  const out: S3ObjectOutput[] = [];
  for (const object of objects) {
    if (object.key.endsWith("/")) {
      out.push(toOutput(object));
      continue;
    }
    const { body } = await client.getObject(bucket, object.key);
    out.push(toOutput(object, await storage.put(uriOf(object), body)));
  }
  for (const object of objects) {
    if (action.action === "DELETE") await client.deleteObject(bucket, object.key);
    else if (action.action === "MOVE" && action.moveTo) {
      const to = {
        bucket: action.moveTo.bucket ?? bucket,
        key: `${action.moveTo.key.replace(/\/+$/, "")}/${fileNameOf(object.key)}`,
      };
      await client.copyObject({ bucket, key: object.key }, to);
      await client.deleteObject(bucket, object.key);
    }
  }
  return out;
}
