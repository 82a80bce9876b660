import { listServersTraffic } from "@lunar/db";
import type { TServersPage, TTrafficWindow } from "@lunar/shared";
import { db } from "@/lib/db";

/** The org's MCP servers with the window's tool and outbound traffic. */
export async function loadServers(
  orgId: string,
  window: TTrafficWindow = "24h",
): Promise<TServersPage> {
  const { servers, truncated } = await listServersTraffic(db(), orgId, window);
  return { window, servers, truncated };
}
