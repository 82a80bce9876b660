import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";
import type { FlowsDocument } from "./flow-types";
import { type FlowsIssue, formatIssuePath, type PathIssue } from "./flows-issue";
import { FLOWS_LIMITS } from "./limits";
import { validateFlowsDocument } from "./validate-flows";

export type FlowsLoad =
  | {
      readonly ok: true;
      readonly document: FlowsDocument;
      readonly warnings: readonly FlowsIssue[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly FlowsIssue[];
      readonly warnings: readonly FlowsIssue[];
    };

/**
 * Reads flows from YAML text (the editor, files, the article's example). Every error and warning
 * carries the line and column it is about, from the `yaml` package's node ranges.
 */
export function parseFlowsYaml(text: string): FlowsLoad {
  if (new TextEncoder().encode(text).length > FLOWS_LIMITS.maxDocumentBytes) {
    return failed([{ message: "the document is larger than 1 MiB", path: "", line: 1, column: 1 }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntax = [...doc.errors, ...doc.warnings].map((problem): FlowsIssue => {
    const position = lineCounter.linePos(problem.pos[0]);
    return { message: problem.message, path: "", line: position.line, column: position.col };
  });
  const aliases = findAliases(doc, lineCounter);
  if (syntax.length > 0 || aliases.length > 0) return failed([...syntax, ...aliases]);

  const validation = validateFlowsDocument(doc.toJS());
  const locate = (issue: PathIssue) => locateIssue(doc, lineCounter, issue);
  return validation.ok
    ? { ok: true, document: validation.document, warnings: validation.warnings.map(locate) }
    : {
        ok: false,
        errors: validation.errors.map(locate),
        warnings: validation.warnings.map(locate),
      };
}

/**
 * Aliases are refused: flows never need them, and an unquoted glob such as `*.googleapis.com/*`
 * is read by YAML as an alias (the article prints it that way), which deserves a clear message.
 */
function findAliases(doc: Document, lineCounter: LineCounter): FlowsIssue[] {
  const found: FlowsIssue[] = [];
  visit(doc, {
    Alias(_key, node) {
      const position = lineCounter.linePos(node.range?.[0] ?? 0);
      found.push({
        message: `"*${node.source}" is read by YAML as an alias; quote globs that start with "*": "*${node.source}"`,
        path: "",
        line: position.line,
        column: position.col,
      });
    },
  });
  return found;
}

function locateIssue(doc: Document, lineCounter: LineCounter, issue: PathIssue): FlowsIssue {
  const node = findNode(doc.contents, issue.path, issue.onKey === true);
  const position = node?.range ? lineCounter.linePos(node.range[0]) : null;
  return {
    message: issue.message,
    path: formatIssuePath(issue.path),
    line: position?.line ?? null,
    column: position?.col ?? null,
  };
}

/** The deepest node along `path` (the key node itself when `onKey`). */
function findNode(root: unknown, path: readonly (string | number)[], onKey: boolean): Node | null {
  let current: unknown = root;
  let found: Node | null = isNode(root) ? root : null;
  for (const [depth, part] of path.entries()) {
    const isLast = depth === path.length - 1;
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      if (isLast && onKey && isNode(pair.key)) return pair.key;
      current = pair.value;
    } else if (isSeq(current) && typeof part === "number") {
      current = current.items[part];
    } else {
      break;
    }
    if (!isNode(current)) break;
    found = current;
  }
  return found;
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value) || isAlias(value);
}

function failed(errors: FlowsIssue[]): FlowsLoad {
  return { ok: false, errors, warnings: [] };
}
