"""Real endpoints on 127.0.0.1 for the channel tests: an HTTP server that records what it is sent
and can be told to fail, hang or answer like a chat robot; and a small SMTP sink."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}


@dataclass
class Endpoint:
    """A webhook receiver. ``fail_next`` answers HTTP 500 that many times; ``answer`` is the body of
    a 200; ``status`` overrides 200 (e.g. 302); ``hang`` sleeps that many seconds before answering."""

    requests: list[Received] = field(default_factory=list)
    fail_next: int = 0
    status: int = 200
    answer: bytes = b'{"errcode":0,"errmsg":"ok"}'
    hang: float = 0
    server: ThreadingHTTPServer | None = None

    def start(self) -> Endpoint:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.requests.append(Received(self.path, dict(self.headers), body))
                if endpoint.hang:
                    time.sleep(endpoint.hang)
                if endpoint.fail_next > 0:
                    endpoint.fail_next -= 1
                    self._reply(500, b"boom")
                elif endpoint.status != 200:
                    self.send_response(endpoint.status)
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._reply(200, endpoint.answer)

            def _reply(self, status, body):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [urlsplit(r.path).path for r in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@dataclass
class SMTPSink:
    """Just enough SMTP for smtplib: records (sender, recipients, message bytes)."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)  # recipients answered with 550
    server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> SMTPSink:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ESMTP\r\n")
                sender, rcpts = "", []
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO", b"RSET", b"NOOP"):
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == b"MAIL":
                        sender = line.decode().split(":", 1)[1].strip().strip("<>")
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == b"RCPT":
                        rcpt = line.decode().split(":", 1)[1].strip().strip("<>")
                        if rcpt in sink.reject:
                            self.wfile.write(b"550 no such user\r\n")
                        else:
                            rcpts.append(rcpt)
                            self.wfile.write(b"250 ok\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        sink.messages.append((sender, rcpts, data))
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"502 not implemented\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
