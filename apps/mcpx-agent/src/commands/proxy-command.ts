import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { CertificateAuthority } from "../egress/certificate-authority";
import { systemDialer } from "../egress/dialer";
import { startEgressProxy } from "../egress/egress-proxy";
import { createLogger } from "../logger";
import { installProcessFaultHandlers } from "../process-faults";
import { LocalEventLog } from "../reporter/local-event-log";
import {
  addEgressOptions,
  type EgressFlags,
  egressSettings,
  flowsStateFrom,
} from "./egress-options";
import { port } from "./start-command";
import { exitOnUserError } from "./user-errors";

interface ProxyFlags extends EgressFlags {
  port: number;
  name: string;
  stateDir?: string;
  logLevel: string;
}

export function registerProxy(program: Command): void {
  const command = program
    .command("proxy")
    .description("Run only the egress proxy (guard any command: HTTPS_PROXY=http://127.0.0.1:PORT)")
    .option("--port <port>", "port on 127.0.0.1", port, 7301)
    .option("--name <server>", "the server name events and server-scoped flows use", "proxy")
    .option("--state-dir <dir>", "where the TLS inspection CA lives (a temporary one if omitted)")
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace", "info");
  addEgressOptions(command).action(async (flags: ProxyFlags) => {
    const log = createLogger(flags.logLevel);
    installProcessFaultHandlers(log);
    try {
      const stateDir = flags.stateDir ?? (await mkdtemp(join(tmpdir(), "mcpx-proxy-")));
      const flows = await flowsStateFrom(flags, { stateDir: null, gatewayConfigured: false, log });
      const ca = flags.tlsInspection
        ? await CertificateAuthority.loadOrCreate(join(stateDir, "tls"))
        : null;
      const events = new LocalEventLog(log);
      const proxy = await startEgressProxy(
        {
          server: flags.name,
          flows,
          dialer: systemDialer,
          ca,
          ownPorts: new Set([flags.port]),
          builtinAllow: new Map(),
          correlationId: () => null,
          record: (event) => events.record(event),
          log,
          ...egressSettings(flags),
        },
        { port: flags.port },
      );
      process.stderr.write(
        `egress proxy on ${proxy.url}${ca ? `; trust its CA: ${join(stateDir, "tls", "ca.pem")}` : ""}\n`,
      );
      const stop = async () => {
        await proxy.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
    } catch (error) {
      exitOnUserError(error, log);
      throw error;
    }
  });
}
