import { parseTarget } from "@lunar/shared";
import type { Command } from "commander";
import { FlowsState } from "../egress/flows-state";
import { FlowsFileError, loadFlowsFile } from "../egress/load-flows-file";
import { createLogger } from "../logger";

/** `mcpx-agent check --flows FILE URL`: the decision and the rule, as the proxy would take it. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("Print the decision the flows take for a URL (exit 0 allowed, 1 blocked, 2 error)")
    .requiredOption("--flows <file>", "flows YAML file")
    .argument("<url>", "the URL to decide, e.g. https://api.badactor.com/steal")
    .option("--method <method>", "HTTP method", "GET")
    .option("--server <name>", "the MCP server making the call (for server-scoped flows)")
    .option("--json", "print the whole decision as JSON")
    .action(
      async (
        url: string,
        options: { flows: string; method: string; server?: string; json?: boolean },
      ) => {
        const log = createLogger("silent");
        let document: unknown;
        try {
          document = await loadFlowsFile(options.flows);
        } catch (error) {
          if (!(error instanceof FlowsFileError)) throw error;
          process.stderr.write(`mcpx-agent: ${error.message}\n`);
          process.exit(2);
        }
        const parsed = parseTarget({ kind: "absolute", url });
        if (!parsed.ok) {
          process.stdout.write(`refused  ${url}: ${parsed.error.message}\n`);
          process.exit(2);
        }
        const flows = new FlowsState({ failClosed: false, cachePath: null, log });
        flows.apply(1, document, "file");
        const decision = flows.decide({
          target: parsed.target,
          method: options.method.toUpperCase(),
          server: options.server ?? null,
        });
        if (options.json) process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
        else {
          const response = decision.response
            ? ` → ${decision.response.status} "${decision.response.body}"`
            : "";
          process.stdout.write(
            `${decision.decision.padEnd(8)} ${options.method.toUpperCase()} ${url}\n` +
              `rule     ${decision.rule ?? "(none: visibility mode)"}\n` +
              `reason   ${decision.reason}${response}\n` +
              (decision.decision === "blocked" ||
              decision.hostNamedExactly ||
              parsed.target.hostKind !== "domain"
                ? ""
                : "note     the proxy also refuses internal addresses this name resolves to\n"),
          );
        }
        process.exitCode = decision.decision === "allowed" ? 0 : 1;
      },
    );
}
