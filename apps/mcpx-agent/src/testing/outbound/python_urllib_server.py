"""An unmodified MCP stdio server on the Python 3 standard library alone.

Its one tool, fetch_url (url, optional method and body), calls urllib.request.urlopen the ordinary
way, which honours HTTP_PROXY/HTTPS_PROXY and verifies certificates against the default trust
store (SSL_CERT_FILE when set). It answers {"status": ..., "body": ...} as text, or a tool error
naming the failure. The MCP SDK for Python is not installable here, so the minimal MCP stdio
JSON-RPC exchange is written by hand: initialize, notifications/initialized, tools/list,
tools/call and ping, one JSON message per line on stdout; nothing else ever goes to stdout.
"""

import json
import sys
import urllib.error
import urllib.request

SERVER_INFO = {"name": "outbound-python-urllib", "version": "1.0.0"}
FALLBACK_PROTOCOL = "2025-06-18"

FETCH_TOOL = {
    "name": "fetch_url",
    "description": "Fetches a URL with urllib.request and returns status and body",
    "inputSchema": {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "method": {"type": "string"},
            "body": {"type": "string"},
        },
        "required": ["url"],
    },
}


def send(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def describe(error):
    parts = []
    current = error
    while current is not None and len(parts) < 4:
        parts.append(f"{type(current).__name__}: {current}")
        current = getattr(current, "reason", None) if isinstance(current, urllib.error.URLError) else current.__cause__
        if not isinstance(current, BaseException):
            break
    return " <- ".join(parts)


def fetch_url(arguments):
    url = arguments.get("url")
    if not isinstance(url, str):
        return {"content": [{"type": "text", "text": "url must be a string"}], "isError": True}
    method = arguments.get("method") or "GET"
    body = arguments.get("body")
    data = body.encode("utf-8") if isinstance(body, str) else None
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            answer = {"status": response.status, "body": response.read().decode("utf-8", "replace")}
    except urllib.error.HTTPError as error:
        answer = {"status": error.code, "body": error.read().decode("utf-8", "replace")}
    except Exception as error:  # noqa: BLE001 - every failure becomes a tool error
        return {"content": [{"type": "text", "text": describe(error)}], "isError": True}
    return {"content": [{"type": "text", "text": json.dumps(answer)}]}


def handle(message):
    method = message.get("method")
    params = message.get("params") or {}
    if method == "initialize":
        return {
            "protocolVersion": params.get("protocolVersion") or FALLBACK_PROTOCOL,
            "capabilities": {"tools": {}},
            "serverInfo": SERVER_INFO,
        }
    if method == "ping":
        return {}
    if method == "tools/list":
        return {"tools": [FETCH_TOOL]}
    if method == "tools/call":
        if params.get("name") != "fetch_url":
            raise LookupError(f"unknown tool {params.get('name')}")
        return fetch_url(params.get("arguments") or {})
    raise NotImplementedError(method)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}})
            continue
        if "id" not in message:
            continue  # a notification (notifications/initialized, cancellations): nothing to answer
        try:
            send({"jsonrpc": "2.0", "id": message["id"], "result": handle(message)})
        except NotImplementedError as error:
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32601, "message": f"method not found: {error}"}})
        except Exception as error:  # noqa: BLE001
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32602, "message": str(error)}})


if __name__ == "__main__":
    main()
