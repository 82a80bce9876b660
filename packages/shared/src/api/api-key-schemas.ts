import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";

export const ZCreateApiKeyInput = z
  .object({
    name: ZStorableText.trim().min(1, "Give the key a name").max(80, "Name is too long"),
  })
  .strict();
export type TCreateApiKeyInput = z.infer<typeof ZCreateApiKeyInput>;

export const ZApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TApiKeySummary = z.infer<typeof ZApiKeySummary>;

/** Returned once, at creation: the only time the secret leaves the server. */
export const ZCreatedApiKey = ZApiKeySummary.extend({ secret: z.string() });
export type TCreatedApiKey = z.infer<typeof ZCreatedApiKey>;

export const ZApiKeyIdParam = z.object({ id: z.uuid("Unknown key id") });
