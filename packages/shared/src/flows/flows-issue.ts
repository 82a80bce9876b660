/** Where in the document a problem is: flow name, then keys and list indexes. */
export type IssuePath = readonly (string | number)[];

/** A problem found while reading a flows document, as the validator reports it. */
export interface PathIssue {
  readonly path: IssuePath;
  readonly message: string;
  /** The problem is the key at `path` (unknown or badly named), not its value. */
  readonly onKey?: boolean;
}

/** A problem as shown to people: the path, and the line and column when read from YAML. */
export interface FlowsIssue {
  readonly message: string;
  /** E.g. `AllowFilter.parameters[0].value[1]`; "" for the document itself. */
  readonly path: string;
  /** 1-based; null when the document did not come from YAML text. */
  readonly line: number | null;
  readonly column: number | null;
}

export function formatIssuePath(path: IssuePath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
