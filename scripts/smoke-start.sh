#!/usr/bin/env bash
# Starts the system as a new user does (`npm start`, embedded Postgres unless DATABASE_URL),
# checks the dashboard and gateway answer, then stops it with Ctrl-C (SIGINT to the process
# group) and checks that nothing, Postgres included, is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
setsid npm start >"$log" 2>&1 &
pgid=$!
cleanup() { kill -KILL -- "-$pgid" 2>/dev/null || true; }
trap cleanup EXIT

deadline=$((SECONDS + 300))
# npm start prints its URLs once everything answers.
until grep -q "Press Ctrl-C to stop" "$log"; do
  if ((SECONDS > deadline)) || ! kill -0 "$pgid" 2>/dev/null; then
    echo "[smoke] the dashboard did not come up; npm start said:"; cat "$log"; exit 1
  fi
  sleep 1
done
curl -fsS -o /dev/null http://localhost:3000/login
curl -fsS -o /dev/null http://localhost:8080/healthz
echo "[smoke] dashboard and gateway answer"

kill -INT -- "-$pgid"
for _ in $(seq 1 30); do
  kill -0 -- "-$pgid" 2>/dev/null || break
  sleep 1
done
if kill -0 -- "-$pgid" 2>/dev/null; then
  echo "[smoke] npm start did not stop on Ctrl-C"; cat "$log"; exit 1
fi
if pg_isready -q -h 127.0.0.1 -p 54329; then
  echo "[smoke] embedded Postgres is still running after Ctrl-C"; exit 1
fi
echo "[smoke] stopped cleanly"
