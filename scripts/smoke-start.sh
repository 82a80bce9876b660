#!/usr/bin/env bash
# Starts the system as a new user does (`npm start`, embedded Postgres unless DATABASE_URL),
# signs up, stops it with Ctrl-C (SIGINT to the process group) and checks nothing is left
# running, Postgres included; then starts it again and logs in with the same account, which
# must have survived the restart.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
jar=$(mktemp)
email="smoke-$(date +%s)-$RANDOM@example.com"
password="smoke test password"
pgid=""
cleanup() { [ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null || true; }
trap cleanup EXIT

start_system() {
  : >"$log"
  setsid npm start >"$log" 2>&1 &
  pgid=$!
  local deadline=$((SECONDS + 300))
  # npm start prints its URLs once everything answers.
  until grep -q "Press Ctrl-C to stop" "$log"; do
    if ((SECONDS > deadline)) || ! kill -0 "$pgid" 2>/dev/null; then
      echo "[smoke] the system did not come up; npm start said:"; cat "$log"; exit 1
    fi
    sleep 1
  done
  curl -fsS -o /dev/null http://localhost:3000/login
  curl -fsS -o /dev/null http://localhost:8080/healthz
  echo "[smoke] dashboard and gateway answer (${SECONDS}s)"
}

stop_system() {
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
  pgid=""
  echo "[smoke] stopped cleanly"
}

api() {
  curl -fsS -c "$jar" -b "$jar" -H "origin: http://localhost:3000" \
    -H "content-type: application/json" "$@"
}

start_system
api -X POST http://localhost:3000/api/auth/signup \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
echo "[smoke] signed up $email"
stop_system

start_system
api -X POST http://localhost:3000/api/auth/login \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
api http://localhost:3000/api/me | grep -q "\"$email\""
echo "[smoke] the account survived a restart"
stop_system
