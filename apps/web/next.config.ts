import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Internal packages are TypeScript source, compiled by Next rather than prebuilt.
  transpilePackages: ["@lunar/shared", "@lunar/db"],
  // Native and driver packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pino"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
