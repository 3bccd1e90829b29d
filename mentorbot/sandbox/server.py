"""HTTP for the sandbox: ``/2/...`` (X API v2) and ``/sandbox/...`` (admin), standard library only.

:class:`SandboxServer` serves in a daemon thread (tests, the simulator, ``mentorbot demo``);
:func:`run_forever` serves in the calling thread (``mentorbot sandbox serve``).
"""
from __future__ import annotations

import ipaddress
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import parse_qsl, urlsplit

from loguru import logger

from .admin import handle_admin
from .api import ApiRequest

if TYPE_CHECKING:
    from .sandbox import Sandbox

__all__ = ["SandboxServer", "run_forever"]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: Sandbox


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests' sessions expect
    server_version = "mentorbot-sandbox"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stall
    server: _HTTPServer

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._dispatch()

    do_POST = do_DELETE = do_PATCH = do_PUT = do_GET

    def _dispatch(self) -> None:
        sandbox = self.server.sandbox
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        params: dict[str, str] = {}
        for name, value in parse_qsl(split.query, keep_blank_values=True):
            params.setdefault(name, value)
        if split.path == "/sandbox" or split.path.startswith("/sandbox/"):
            if not _is_loopback(self.client_address[0]):
                self._send(403, {"title": "Forbidden", "detail": "the admin API answers loopback clients only",
                                 "type": "about:blank", "status": 403})
                return
            status, payload = handle_admin(sandbox, self.command, split.path, params, body)
            self._send(status, payload)
            return
        if not split.path.startswith("/2/"):
            self._send(404, {"title": "Not Found Error", "detail": "The requested resource could not be found.",
                             "type": "about:blank", "status": 404})
            return
        request = ApiRequest(method=self.command, path=split.path, query=split.query, params=params,
                             headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                             host=self.headers.get("Host") or "%s:%s" % self.server.server_address[:2])
        response = sandbox.handle(request)
        if response.hold_seconds:
            time.sleep(response.hold_seconds)  # a "timeout" fault: outside the lock
        self._send(response.status, response.body, response.headers)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout fault did its job)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        # Only the request line and status: never headers (they carry tokens).
        logger.debug("sandbox {} {}", self.address_string(), format % args)


def _make_server(sandbox: Sandbox, host: str, port: int) -> _HTTPServer:
    httpd = _HTTPServer((host, port), _Handler)
    httpd.sandbox = sandbox
    return httpd


def _url(httpd: _HTTPServer) -> str:
    host, port = httpd.server_address[:2]
    host = str(host)
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class SandboxServer:
    """A running sandbox server; ``url`` is its base URL. Close it, or use it as a context manager."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0):
        self.sandbox = sandbox
        self._httpd = _make_server(sandbox, host, port)
        self.host = str(self._httpd.server_address[0])
        self.port = int(self._httpd.server_address[1])
        self.url = _url(self._httpd)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox-{self.port}", daemon=True)
        self._thread.start()
        self._closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SandboxServer(url={self.url!r})"


def run_forever(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 8321,
                on_ready: Callable[[str, Callable[[], None]], None] | None = None) -> None:
    """Serve in the calling thread until interrupted (Ctrl-C) or stopped.

    ``on_ready(url, stop)`` is called once listening; ``stop()``, called from another thread,
    ends the loop (useful with ``port=0``, where only ``url`` tells the port).
    """
    httpd = _make_server(sandbox, host, port)
    url = _url(httpd)
    logger.info("sandbox X API listening on {} (admin API under /sandbox/)", url)
    if on_ready is not None:
        on_ready(url, httpd.shutdown)
    try:
        httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        logger.info("sandbox stopped")
    finally:
        httpd.server_close()
