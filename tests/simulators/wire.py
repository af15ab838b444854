"""HTTP/1.1 on the wire for the simulators: the request reader, the reply encoder and two servers.

``EventLoopServer`` (plain HTTP, what every test and benchmark uses) serves all connections from
one thread with ``selectors`` and runs each request's waits (the injected latency, a ``slow``
fault) as timers; ``threaded_server`` (HTTPS) gives each connection a thread that sleeps through
them. On the 2-core virtual machines this runs on, waking a thread costs about 0.1 ms of CPU, and
a thread per connection woke two to four times per request (at 16 connections and 20 ms latency,
0.36 ms of simulator CPU per request against 0.43 with threads, for an ``http.client`` client).
"""

import heapq
import json
import random
import re
import selectors
import socket
import threading
import time
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from socketserver import StreamRequestHandler


class Headers(dict):
    """Request headers by case-insensitive name (a repeated header keeps its last value)."""

    def __getitem__(self, name):
        return dict.__getitem__(self, name.lower())

    def __contains__(self, name):
        return dict.__contains__(self, str(name).lower())

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class Reply:
    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


MAX_LINE = 65536
MAX_HEADERS = 100


def read_request(rfile):
    """One HTTP/1.x request from ``rfile``: (method, target, Headers, body, keep-alive), None at
    the end of the connection, or a Reply (400/417/431) for input that is not HTTP we take.

    The standard library's handler parses headers with the e-mail parser, about half the
    simulator's CPU per request; the requests the clients send need only this much.
    """
    line = rfile.readline(MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):  # stray line ends between kept-alive requests
        line = rfile.readline(MAX_LINE + 1)
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or len(line) > MAX_LINE:
        return Reply(400, {"code": "bad_request", "message": "not an HTTP/1.x request line"})
    method, target, version = parts
    headers = Headers()
    while True:
        raw = rfile.readline(MAX_LINE + 1)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, colon, value = raw.decode("latin-1").partition(":")
        if not colon or len(headers) >= MAX_HEADERS or len(raw) > MAX_LINE:
            return Reply(431 if colon else 400, {"code": "bad_request", "message": "malformed or too many headers"})
        dict.__setitem__(headers, name.strip().lower(), value.strip())
    if headers.get("Expect", "").lower() == "100-continue":
        return Reply(417, {"code": "bad_request", "message": "Expect: 100-continue is not supported"})
    if headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = rfile.readline(MAX_LINE + 1).split(b";")[0].strip()
            try:
                size = int(size, 16)
            except ValueError:
                return Reply(400, {"code": "bad_request", "message": "malformed chunk size"})
            if not size:
                while rfile.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            chunks.append(rfile.read(size + 2)[:size])
        body = b"".join(chunks)
    else:
        try:
            length = int(headers.get("Content-Length") or 0)
        except ValueError:
            return Reply(400, {"code": "bad_request", "message": "Content-Length is not a number"})
        if length < 0:
            return Reply(400, {"code": "bad_request", "message": "Content-Length is negative"})
        body = rfile.read(length) if length else b""
    connection = headers.get("Connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    return method, target, headers, body, keep_alive


def encode_reply(reply, keep_alive):
    """The bytes of a Reply: status line, headers and body in one buffer (one write)."""
    payload = b""
    if isinstance(reply.body, bytes):  # a file download (the handler sets Content-Type)
        payload = reply.body
    elif reply.body is not None:
        payload = json.dumps(reply.body).encode("utf-8")
    phrase = PHRASES.get(reply.status, "")
    headers = dict(reply.headers)
    if payload:
        headers.setdefault("Content-Type", "application/json")
    headers["Content-Length"] = str(len(payload))
    headers["X-Request-Id"] = random_hex()
    if not keep_alive:
        headers["Connection"] = "close"
    head = "HTTP/1.1 %d %s\r\n%s\r\n" % (reply.status, phrase, "".join(
        "%s: %s\r\n" % (name, value) for name, value in headers.items()))
    return head.encode("latin-1") + payload


_RANDOM = random.Random()  # seeded from the OS once: os.urandom would be a system call per id


def random_hex():
    """16 random hex digits (request ids, Beyond Identity's short ids)."""
    return "%016x" % _RANDOM.getrandbits(64)


PHRASES = {status.value: status.phrase for status in HTTPStatus}


def hang_up(sock):
    """Drop a connection without an answer (a "reset" reply)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def serve_connection(sim, rfile, wfile, sock):
    """The threaded server's loop over the requests of one connection."""
    while True:
        request = read_request(rfile)
        if request is None:
            return
        if isinstance(request, Reply):  # not HTTP we understand: answer and hang up
            wfile.write(encode_reply(request, keep_alive=False))
            return
        method, target, headers, body, keep_alive = request
        try:
            reply = sim.dispatch(method, target, headers, body)
        except Exception as exc:  # a simulator bug must show up as a 500, not a hang
            reply = simulator_error(exc)
        if reply == "reset":
            hang_up(sock)
            return
        wfile.write(encode_reply(reply, keep_alive))
        if not keep_alive:
            return


def simulator_error(exc):
    return Reply(500, {"code": "simulator_error", "message": "%s: %s" % (type(exc).__name__, exc)})


def threaded_server(sim, address):
    """A ThreadingHTTPServer whose handler serves ``sim`` (each connection in its own thread)."""

    class Handler(StreamRequestHandler):
        # TCP_NODELAY: with Nagle + delayed ACK every answer on a kept-alive connection waited ~40 ms
        disable_nagle_algorithm = True

        def handle(self):
            serve_connection(sim, self.rfile, self.wfile, self.connection)

    class ThreadedServer(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    return ThreadedServer(address, Handler)


CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,12})[ \t]*\r\n", re.IGNORECASE)


class NeedMore(Exception):
    """The buffer ends inside a request: wait for more bytes."""


class BufferReader:
    """What ``read_request`` reads from, over the bytes received so far."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def readline(self, limit):
        end = self.data.find(b"\n", self.pos, self.pos + limit)
        if end < 0:
            if len(self.data) - self.pos < limit:
                raise NeedMore()
            end = self.pos + limit - 1  # an over-long line: read_request refuses it
        line = self.data[self.pos:end + 1]
        self.pos = end + 1
        return bytes(line)

    def read(self, size):
        if len(self.data) - self.pos < size:
            raise NeedMore()
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return bytes(chunk)


class _Connection:
    __slots__ = ("sock", "inbox", "outbox", "busy", "closing", "peer_gone")

    def __init__(self, sock):
        self.sock = sock
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.busy = False  # a request is being served: the next one waits (answers go out in order)
        self.closing = False  # close once the outbox is sent
        self.peer_gone = False


class EventLoopServer:
    """Plain HTTP/1.1 for ``sim`` from one thread: ``selectors`` for the sockets, a heap for the timers.

    A request runs as ``sim.steps(...)``, a generator that yields the seconds it must wait (the
    latency, a ``slow`` fault) and returns the reply; the loop resumes it when the time is up and
    serves other connections meanwhile. A request whose client has gone still runs to the end, as
    on a real server. ``serve_forever``, ``shutdown``, ``server_close`` and ``server_address`` as
    the standard library's servers have them.
    """

    def __init__(self, sim, address, backlog=128):
        self.sim = sim
        self.listener = socket.create_server(address, backlog=backlog)
        self.listener.setblocking(False)
        self.server_address = self.listener.getsockname()
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        self.timers = []  # (due, sequence, callable)
        self.sequence = 0
        self.running = False
        self.stopped = threading.Event()

    def serve_forever(self):
        self.running = True
        try:
            while self.running:
                timeout = max(0.0, self.timers[0][0] - time.monotonic()) if self.timers else None
                for key, mask in self.selector.select(timeout):
                    if key.data is None:
                        self._accept()
                    elif key.data == "wake":
                        self.wake_r.recv(64)
                    elif mask & selectors.EVENT_WRITE:
                        self._flush(key.data)
                    else:
                        self._receive(key.data)
                now = time.monotonic()
                while self.timers and self.timers[0][0] <= now:
                    heapq.heappop(self.timers)[2]()
        finally:
            self.stopped.set()

    def shutdown(self):
        self.running = False
        self.wake_w.send(b"x")
        self.stopped.wait(10)

    def server_close(self):
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()
        self.wake_w.close()

    # -- connections ----------------------------------------------------------------------------

    def _accept(self):
        while True:
            try:
                sock, _address = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.selector.register(sock, selectors.EVENT_READ, _Connection(sock))

    def _receive(self, conn):
        try:
            data = conn.sock.recv(262144)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            conn.peer_gone = True
            if not conn.busy:
                self._close(conn)
            else:  # the request in hand still runs (its answer goes nowhere); stop watching the socket
                self.selector.unregister(conn.sock)
            return
        conn.inbox += data
        self._next_request(conn)

    def _next_request(self, conn):
        if conn.busy or conn.closing or not conn.inbox:
            return
        # Clients send the head and the body in separate packets: parse only once both are here.
        head_end = conn.inbox.find(b"\r\n\r\n")
        if head_end < 0 and b"\n\n" not in conn.inbox and len(conn.inbox) <= MAX_LINE:
            return
        length = CONTENT_LENGTH.search(conn.inbox, 0, head_end + 2) if head_end > 0 else None
        if length and len(conn.inbox) < head_end + 4 + int(length.group(1)):
            return
        reader = BufferReader(conn.inbox)
        try:
            request = read_request(reader)
        except NeedMore:
            return
        del conn.inbox[:reader.pos]
        if request is None:
            return
        if isinstance(request, Reply):  # not HTTP we understand: answer and hang up
            self._send(conn, encode_reply(request, keep_alive=False), close=True)
            return
        method, target, headers, body, keep_alive = request
        conn.busy = True
        self._advance(conn, self.sim.steps(method, target, headers, body), keep_alive)

    def _advance(self, conn, steps, keep_alive):
        try:
            delay = next(steps)
        except StopIteration as done:
            reply = done.value
        except Exception as exc:  # a simulator bug must show up as a 500, not a hang
            reply = simulator_error(exc)
        else:
            self.sequence += 1
            heapq.heappush(self.timers, (time.monotonic() + delay, self.sequence,
                                         lambda: self._advance(conn, steps, keep_alive)))
            return
        conn.busy = False
        if conn.peer_gone or conn.sock.fileno() < 0:
            self._close(conn)
        elif reply == "reset":
            hang_up(conn.sock)
            self._close(conn)
        else:
            self._send(conn, encode_reply(reply, keep_alive), close=not keep_alive)

    def _send(self, conn, payload, close):
        conn.outbox += payload
        conn.closing = close
        self._flush(conn)

    def _flush(self, conn):
        try:
            while conn.outbox:
                sent = conn.sock.send(conn.outbox)
                del conn.outbox[:sent]
        except (BlockingIOError, InterruptedError):
            self.selector.modify(conn.sock, selectors.EVENT_WRITE, conn)
            return
        except OSError:
            self._close(conn)
            return
        if conn.closing:
            self._close(conn)
            return
        self.selector.modify(conn.sock, selectors.EVENT_READ, conn)
        self._next_request(conn)

    def _close(self, conn):
        try:
            self.selector.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()
