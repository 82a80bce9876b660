import { isDeepStrictEqual } from "node:util";
import { type Document, parseDocument } from "yaml";
import { flowsDocumentToYaml } from "./describe-flows";
import { readFlowsYaml } from "./read-flows-yaml";

/**
 * The YAML of `next` written as an edit of `source`, the YAML its author saved: only the flows
 * whose value changed are rewritten (or added at the end, or removed), so everyone's comments,
 * order and quoting elsewhere stay as they were. If the edited text would not read back as
 * exactly `next` (a source that is not a plain mapping, say), `next` is written out afresh:
 * what is stored must be what was checked, comments or not.
 */
export function editFlowsYaml(source: string | null, next: Record<string, unknown>): string {
  const fresh = flowsDocumentToYaml(next);
  if (source === null) return fresh;
  const yaml: Document = parseDocument(source);
  if (yaml.errors.length > 0) return fresh;
  const before: unknown = yaml.toJS() ?? {};
  if (typeof before !== "object" || Array.isArray(before)) return fresh;
  const previous = before as Record<string, unknown>;
  if (yaml.contents === null) yaml.contents = yaml.createNode({});
  for (const key of Object.keys(previous)) {
    if (!(key in next)) yaml.delete(key);
  }
  for (const [key, value] of Object.entries(next)) {
    if (!isDeepStrictEqual(previous[key], value)) yaml.set(key, yaml.createNode(value));
  }
  const edited = yaml.toString({ lineWidth: 0 });
  const read = readFlowsYaml(edited);
  return read.ok && isDeepStrictEqual(read.document ?? {}, next) ? edited : fresh;
}
