import { readFile } from "node:fs/promises";
import { parseFlowsYaml } from "@lunar/shared";
import { parse } from "yaml";

export class FlowsFileError extends Error {}

/** A local flows file (`--flows`): its YAML checked with line and column, then its plain value. */
export async function loadFlowsFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FlowsFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const load = parseFlowsYaml(text);
  if (!load.ok) {
    const lines = load.errors.map(
      (issue) => `  ${path}:${issue.line}:${issue.column}: ${issue.message}`,
    );
    throw new FlowsFileError(`invalid flows:\n${lines.join("\n")}`);
  }
  return parse(text) ?? null;
}
