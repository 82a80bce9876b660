import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SQUID = "/usr/sbin/squid";

/** Debian's squid with an allowlist equivalent to ours (docs/MEASURED.md's configuration). */
export async function startSquid(
  port: number,
  allowedPorts: number[],
): Promise<ChildProcess | null> {
  if (!existsSync(SQUID)) return null;
  const dir = await mkdtemp(join(tmpdir(), "squid-bench-"));
  await chmod(dir, 0o777);
  const config = [
    `http_port 127.0.0.1:${port}`,
    "acl allowlist dstdomain -n 127.0.0.1",
    `acl bench_ports port ${allowedPorts.join(" ")}`,
    "acl CONNECT method CONNECT",
    "http_access deny !bench_ports",
    "http_access allow allowlist",
    "http_access deny all",
    "cache deny all",
    "cache_mem 0",
    "access_log none",
    `cache_log ${join(dir, "cache.log")}`,
    `pid_filename ${join(dir, "squid.pid")}`,
    `coredump_dir ${dir}`,
    "shutdown_lifetime 0 seconds",
  ].join("\n");
  const configPath = join(dir, "squid.conf");
  await writeFile(configPath, config);
  const child = spawn(SQUID, ["-N", "-f", configPath], { stdio: "ignore" });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("squid did not start");
}
