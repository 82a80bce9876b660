import {
  type BlockResponse,
  DEFAULT_BLOCK_RESPONSE,
  type GenerateResponseFlow,
} from "./flow-types";
import type { IssuePath } from "./flows-issue";
import type { IssueCollector } from "./issue-collector";
import { FLOWS_LIMITS } from "./limits";
import { type ParameterValue, readParameters } from "./read-parameters";
import { readScope } from "./read-scope";

const RESPONSE_KEYS = ["status", "body", "Content-Type", "server"] as const;
// Header names are case-insensitive, so "content-type" is the same parameter.
const RESPONSE_KEY_ALIASES = { "content-type": "Content-Type" } as const;
const MEDIA_TYPE =
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;[\u0020-\u007e]*)?$/;

/** Reads a `GenerateResponse` flow: what a blocked request gets (defaults 403, text/plain). */
export function readGenerateResponse(
  name: string,
  rawParameters: unknown,
  path: IssuePath,
  issues: IssueCollector,
): GenerateResponseFlow {
  const parameters = readParameters(
    rawParameters,
    [...path, "parameters"],
    RESPONSE_KEYS,
    issues,
    RESPONSE_KEY_ALIASES,
  );
  const response: BlockResponse = {
    status: readStatus(parameters.get("status"), issues),
    body: readBody(parameters.get("body"), issues),
    contentType: readContentType(parameters.get("Content-Type"), issues),
  };
  return {
    name,
    processor: "GenerateResponse",
    scope: readScope(parameters.get("server"), issues),
    response,
  };
}

function readStatus(parameter: ParameterValue | undefined, issues: IssueCollector): number {
  if (parameter === undefined) return DEFAULT_BLOCK_RESPONSE.status;
  const { value } = parameter;
  if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) {
    return value;
  }
  issues.error(parameter.path, "status is an error status, an integer from 400 to 599");
  return DEFAULT_BLOCK_RESPONSE.status;
}

function readBody(parameter: ParameterValue | undefined, issues: IssueCollector): string {
  if (parameter === undefined) return DEFAULT_BLOCK_RESPONSE.body;
  const { value } = parameter;
  if (typeof value === "string" && value.length <= FLOWS_LIMITS.maxBodyLength) return value;
  issues.error(
    parameter.path,
    `body is a string of at most ${FLOWS_LIMITS.maxBodyLength} characters`,
  );
  return DEFAULT_BLOCK_RESPONSE.body;
}

function readContentType(parameter: ParameterValue | undefined, issues: IssueCollector): string {
  if (parameter === undefined) return DEFAULT_BLOCK_RESPONSE.contentType;
  const { value } = parameter;
  // No CR/LF or other controls: the value becomes a response header.
  if (typeof value === "string" && value.length <= 255 && MEDIA_TYPE.test(value)) return value;
  issues.error(parameter.path, "Content-Type is a media type such as text/plain");
  return DEFAULT_BLOCK_RESPONSE.contentType;
}
