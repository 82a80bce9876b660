// "@lunar/db/listen": Postgres LISTEN with reconnects, for the gateway and the web app's live logs.

export * from "./channels";
export * from "./pg-listener";
