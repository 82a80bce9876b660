export const NAV_ITEMS = [
  { href: "/overview", label: "Overview" },
  { href: "/providers", label: "Providers" },
  { href: "/servers", label: "MCP servers" },
  { href: "/live", label: "Live logs" },
  { href: "/flows", label: "Flows" },
  { href: "/agents", label: "Agents" },
  { href: "/keys", label: "API keys" },
  { href: "/settings", label: "Settings" },
] as const;
