import { z } from "zod";

// One definition of what Postgres can store, for every process that hands it text or numbers.
// Postgres `text` cannot hold U+0000, and `jsonb` refuses both `\u0000` and an unpaired UTF-16
// surrogate: values that pass a schema but would fail inside an ingest transaction. The agent
// makes its events storable before it spools them, the gateway again before it stores (an
// agent may be old or hostile), and the control-plane API refuses such input with a 400.
// docs/PROTOCOL.md ("Storable values") is the prose of this file.

/** What a NUL or an unpaired surrogate becomes in reported text. */
export const REPLACEMENT_CHARACTER = "\uFFFD";

/** Postgres INTEGER (int4), the type of every count column we store from an agent's number. */
export const MAX_STORABLE_INT4 = 2_147_483_647;

/** True when Postgres `text` and `jsonb` can both hold the string as it is. */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes("\u0000");
}

/**
 * The string with every NUL and unpaired surrogate replaced by U+FFFD, cut to `maxLength`
 * UTF-16 code units without splitting a surrogate pair. The common case (already storable and
 * short enough) returns the same string without copying.
 */
export function toStorableText(value: string, maxLength = Number.POSITIVE_INFINITY): string {
  let text = value;
  if (!isStorableText(text)) text = text.toWellFormed().replaceAll("\u0000", REPLACEMENT_CHARACTER);
  if (text.length <= maxLength) return text;
  let end = Math.max(0, Math.floor(maxLength));
  // A high surrogate at the cut would be left unpaired: cut before it.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** An integer count saturated into Postgres INTEGER's range (negative counts become 0). */
export function toStorableInt4(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.trunc(value), MAX_STORABLE_INT4);
}

/**
 * For API input: text Postgres can hold, or a 400 that says why. (Reported data is repaired
 * instead, because refusing it would lose an event; a person typing a name can fix it.)
 */
export const ZStorableText = z
  .string()
  .refine((value) => !value.includes("\u0000"), "must not contain a NUL character (U+0000)")
  .refine((value) => value.isWellFormed(), "must not contain an unpaired UTF-16 surrogate");
