import type { FilterAction, FilterFlow, HeaderCondition, UrlPattern } from "./flow-types";
import type { IssuePath } from "./flows-issue";
import { describeType, type IssueCollector, isPlainRecord } from "./issue-collector";
import { readParameters } from "./read-parameters";
import { readScope } from "./read-scope";
import { parseUrlPattern } from "./url-pattern";

const FILTER_KEYS = ["urls", "methods", "headers", "action", "server"] as const;
const METHOD = /^[A-Za-z]{1,16}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const HEADER_VALUE_GLOB = /^[\u0020-\u007e\u0080-\uffff]{0,1024}$/;

/** Reads a `Filter` flow: `urls` (required), `methods`, `headers`, `action`, `server`. */
export function readFilter(
  name: string,
  rawParameters: unknown,
  path: IssuePath,
  issues: IssueCollector,
): FilterFlow {
  const parameters = readParameters(rawParameters, [...path, "parameters"], FILTER_KEYS, issues);
  const urls = parameters.get("urls");
  if (urls === undefined) issues.error(path, `Filter "${name}" needs a "urls" parameter`);
  const methods = parameters.get("methods");
  const headers = parameters.get("headers");
  return {
    name,
    processor: "Filter",
    action: readAction(parameters.get("action"), issues),
    scope: readScope(parameters.get("server"), issues),
    urls: urls ? readUrls(urls.value, urls.path, issues) : [],
    methods: methods ? readMethods(methods.value, methods.path, issues) : null,
    headers: headers ? readHeaders(headers.value, headers.path, issues) : [],
  };
}

function readAction(
  parameter: { value: unknown; path: IssuePath } | undefined,
  issues: IssueCollector,
): FilterAction {
  if (parameter === undefined) return "allow";
  if (parameter.value === "allow" || parameter.value === "deny") return parameter.value;
  issues.error(parameter.path, 'action is "allow" (the default) or "deny"');
  return "allow";
}

function readUrls(value: unknown, path: IssuePath, issues: IssueCollector): UrlPattern[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.error(path, `urls must be a non-empty list of url globs, not ${describeType(value)}`);
    return [];
  }
  const patterns: UrlPattern[] = [];
  value.forEach((item: unknown, index) => {
    const itemPath = [...path, index];
    if (typeof item !== "string") {
      issues.error(itemPath, `a url glob is a string, not ${describeType(item)}`);
      return;
    }
    const parsed = parseUrlPattern(item);
    if (!parsed.ok) {
      issues.error(itemPath, `"${item}": ${parsed.message}`);
      return;
    }
    if (parsed.warning) issues.warn(itemPath, parsed.warning);
    patterns.push(parsed.pattern);
  });
  return patterns;
}

function readMethods(value: unknown, path: IssuePath, issues: IssueCollector): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.error(
      path,
      `methods must be a non-empty list such as [GET, POST], not ${describeType(value)}`,
    );
    return [];
  }
  const methods: string[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item !== "string" || !METHOD.test(item)) {
      issues.error([...path, index], "a method is a word such as GET or POST");
      return;
    }
    methods.push(item.toUpperCase());
  });
  return methods;
}

/**
 * `headers: [{ name, value }]`, every listed header required, `value` a glob ("*" = any run of
 * characters, so "*" alone means "present"). The "Name: value" string form is not accepted:
 * unquoted in a YAML list it silently becomes a mapping.
 */
function readHeaders(value: unknown, path: IssuePath, issues: IssueCollector): HeaderCondition[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.error(
      path,
      `headers must be a non-empty list of { name, value }, not ${describeType(value)}`,
    );
    return [];
  }
  const conditions: HeaderCondition[] = [];
  value.forEach((item: unknown, index) => {
    const itemPath = [...path, index];
    if (!isPlainRecord(item)) {
      issues.error(itemPath, `a header condition is { name, value }, not ${describeType(item)}`);
      return;
    }
    for (const field of Object.keys(item)) {
      if (field !== "name" && field !== "value") {
        issues.error(
          [...itemPath, field],
          `unknown field "${field}" (a header condition has name and value)`,
          true,
        );
      }
    }
    if (typeof item.name !== "string" || !HEADER_NAME.test(item.name)) {
      issues.error([...itemPath, "name"], "a header name is a token such as X-Api-Version");
      return;
    }
    if (typeof item.value !== "string" || !HEADER_VALUE_GLOB.test(item.value)) {
      issues.error(
        [...itemPath, "value"],
        'a header value glob is a string without control characters ("*" for any)',
      );
      return;
    }
    conditions.push({ name: item.name.toLowerCase(), value: item.value });
  });
  return conditions;
}
