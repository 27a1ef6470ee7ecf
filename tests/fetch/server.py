"""A test HTTP server for the fetcher, on 127.0.0.1 and a free port.

It serves the hostile and ordinary cases of tests/fetch (images with and
without extensions and with wrong types, redirects, errors, flaky answers,
Retry-After, slow and cut bodies, files over a cap, TypePad-style /.a/
URLs, pop-up pages) and counts every request by path, so a test can say
how many requests a run made. Nothing here reaches beyond 127.0.0.1.
"""

import collections
import email.utils
import http.server
import socket
import ssl
import struct
import sys
import threading
import time
import zlib


def png(seed):
    """A valid 2x1 PNG whose pixels depend on seed."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00" + bytes([seed % 256, 7, 9, 200, 1, seed // 256 % 256])
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg(seed, size=2000):
    """JFIF header, filler, end of image: enough for libmagic."""
    head = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
            b"\x00\x00")
    body = bytes((seed * 31 + i * 7) % 251 for i in range(size))
    return head + body + b"\xff\xd9"


def gif(seed):
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes([seed % 256, 0, 0])
            + b"\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
            b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
CSS = b"body { color: #333; }\n.entry img { max-width: 100%; }\n"
SOFT_ERROR = (b"<!DOCTYPE html>\n<html><head><title>Not found</title></head>"
              b"<body><p>This image is gone.</p></body></html>\n")
MT_POPUP = (b"<!DOCTYPE html>\n<html><head><title>photo</title></head><body>"
            b"<img src=\"/img/logo.gif\" alt=\"logo\">"
            b"<img src=\"../img/photo.jpg\" class=\"mt-image-none\" "
            b"width=\"640\" height=\"480\" alt=\"photo\"></body></html>\n")
NO_IMAGE_PAGE = (b"<!DOCTYPE html>\n<html><head><title>x</title></head>"
                 b"<body><p>nothing to see</p></body></html>\n")
TYPEPAD_POPUP = (b"<!DOCTYPE html>\n<html><head><script>\n"
                 b"var src = location.search.substring(1);\n"
                 b"document.write('<img src=\"' + src + '\">');\n"
                 b"</script></head><body></body></html>\n")

# MT 4's pop-up page of asset 12 (assets_c/YYYY/MM/<name>-<id>.html)
MT_ASSET_POPUP = (b"<!DOCTYPE html>\n<html><head><title>big</title></head>"
                  b"<body><img src=\"../../../img/full.jpg\" "
                  b"class=\"mt-image-center\" alt=\"big\"></body></html>\n")
XID = "6a00d8341c4fd53ef0120a5e1b5ebb970c"
XID2 = "6a00d8341c4fd53ef0120a5e1b5ebb970d"

BLOCK = bytes(range(256)) * 4096  # 1 MB


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset(full=True)
        self.stopping = threading.Event()

    def reset(self, full=False):
        """Forgets the requests seen; full: also what flaky paths did, so
        they fail again."""
        with self.lock:
            self.counts = collections.Counter()
            self.times = collections.defaultdict(list)
            self.headers = collections.defaultdict(list)
            self.total = 0
            if full:
                self.served = collections.Counter()

    def hit(self, path, headers):
        """Counts a request; returns how many times the path was served."""
        with self.lock:
            self.counts[path] += 1
            self.times[path].append(time.monotonic())
            self.headers[path].append(dict(headers))
            self.total += 1
            self.served[path] += 1
            return self.served[path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mtport-test"
    disable_nagle_algorithm = True  # headers and body go out at once

    def log_message(self, *args):
        pass

    # -- helpers --
    def send(self, status, body=b"", ctype=None, headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status, location):
        self.send(status, b"moved", "text/html", [("Location", location)])

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def sleep(self, seconds):
        self.server.state.stopping.wait(seconds)

    def do_GET(self):
        st = self.server.state
        path = self.path
        n = st.hit(path, self.headers)
        try:
            self.route(path, n)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, path, n):
        p = path.split("?", 1)[0]
        # ordinary images, with and without extensions and right types
        if p == "/img/photo.jpg":
            return self.send(200, jpeg(1), "image/jpeg")
        if p == "/img/photo.JPEG":
            return self.send(200, jpeg(2), "image/jpeg")
        if p == "/img/logo.gif":
            return self.send(200, gif(1), "image/gif")
        if p == "/img/chart.png":
            return self.send(200, png(1), "image/png")
        # wrong or missing types: the content decides
        if p == "/img/wrongtype.jpg":  # a PNG called a JPEG
            return self.send(200, png(2), "image/jpeg")
        if p == "/img/noext":  # a GIF as bytes
            return self.send(200, gif(2), "application/octet-stream")
        if p == "/img/noctype":  # a JPEG without Content-Type
            return self.send(200, jpeg(3))
        if p == "/img/astext":  # a PNG called HTML
            return self.send(200, png(3), "text/html; charset=utf-8")
        if p == "/img/softerror.jpg":  # an error page called an image
            return self.send(200, SOFT_ERROR, "image/jpeg")
        if p == "/img/full.jpg":  # what MT's pop-up page shows
            return self.send(200, jpeg(11), "image/jpeg")
        if p == "/assets_c/2009/04/big-12.html":
            return self.send(200, MT_ASSET_POPUP, "text/html")
        if p == "/files/report.pdf":
            return self.send(200, PDF, "application/octet-stream")
        if p == "/files/style.css":
            return self.send(200, CSS, "text/css")
        if p == "/files/empty.txt":
            return self.send(200, b"", "text/plain")
        # redirects
        if p.startswith("/r/n/"):
            k = int(p[5:])
            if k > 0:
                return self.redirect(302, "/r/n/%d" % (k - 1))
            return self.redirect(301, self.base() + "/img/photo.jpg")
        if p == "/r/loop/a":
            return self.redirect(302, "/r/loop/b")
        if p == "/r/loop/b":
            return self.redirect(307, "/r/loop/a")
        if p == "/r/https":
            return self.redirect(302, "https://127.0.0.1:%d/img/photo.jpg"
                                 % self.server.server_address[1])
        if p == "/r/ftp":
            return self.redirect(302, "ftp://127.0.0.1/img/photo.jpg")
        if p == "/r/host":
            return self.redirect(302, "http://elsewhere.invalid/img/photo.jpg")
        if p == "/r/relative":
            return self.redirect(308, "../img/chart.png")
        if p == "/r/noloc":
            return self.send(302, b"", "text/html")
        if p == "/r/to404":
            return self.redirect(303, "/status/404")
        # statuses
        if p.startswith("/status/"):
            code = int(p[8:])
            return self.send(code, b"<p>status %d</p>" % code, "text/html")
        if p == "/flaky/500":
            if n == 1:
                return self.send(500, b"oops", "text/plain")
            return self.send(200, png(4), "image/png")
        if p == "/always/503":
            return self.send(503, b"down", "text/plain")
        if p == "/429/seconds":
            if n == 1:
                return self.send(429, b"slow down", "text/plain",
                                 [("Retry-After", "1")])
            return self.send(200, png(5), "image/png")
        if p == "/429/date":
            if n == 1:
                when = email.utils.formatdate(time.time() + 2, usegmt=True)
                return self.send(429, b"slow down", "text/plain",
                                 [("Retry-After", when)])
            return self.send(200, png(6), "image/png")
        if p == "/429/long":
            return self.send(429, b"come back tomorrow", "text/plain",
                             [("Retry-After", "3600")])
        # slow, cut and big bodies
        if p == "/slow/body":  # headers, then silence
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(jpeg(4)[:100])
            self.wfile.flush()
            self.sleep(4)
            self.close_connection = True
            return
        if p == "/slow/headers":  # nothing at all for a while
            self.sleep(4)
            self.close_connection = True
            return
        if p.startswith("/cut/"):  # always, or only on the first request
            if p == "/cut/always" or n == 1:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(BLOCK[:30000])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            return self.send(200, jpeg(5, 100000), "image/jpeg")
        if p == "/big/announced":  # Content-Length over the cap
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(300000))
            self.end_headers()
            self.wfile.write(jpeg(6, 300000)[:300000])
            return
        if p == "/big/streamed":  # no length: the cap stops it on the way
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            data = jpeg(7, 300000)
            for i in range(0, len(data), 16384):
                self.wfile.write(data[i:i + 16384])
            return
        if p.startswith("/slowbig/"):  # 4 MB in 64 KB steps
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(4 << 20))
            self.end_headers()
            data = png(9) + BLOCK * 4
            data = data[:4 << 20]
            for i in range(0, len(data), 65536):
                if self.server.state.stopping.is_set():
                    break
                self.wfile.write(data[i:i + 65536])
                self.wfile.flush()
                time.sleep(0.04)
            return
        # TypePad: /.a/<xid>-pi is gone for XID, present for XID2
        if p == "/.a/%s-pi" % XID:
            return self.send(404, b"not found", "text/html")
        if p == "/.a/%s-800wi" % XID:
            return self.send(200, jpeg(8), "image/jpeg")
        if p == "/.a/%s-320wi" % XID:
            return self.send(200, jpeg(9, 500), "image/jpeg")
        if p == "/.a/%s-pi" % XID2:
            return self.send(200, png(7), "application/octet-stream")
        if p == "/photos/uncategorized/cat.jpg":
            return self.send(200, jpeg(10), "image/jpeg")
        if p == "/.shared/image.html":
            return self.send(200, TYPEPAD_POPUP, "text/html")
        # pop-up pages
        if p == "/popup/photo.html":
            return self.send(200, MT_POPUP, "text/html; charset=utf-8")
        if p == "/popup/empty.html":
            return self.send(200, NO_IMAGE_PAGE, "text/html")
        # validators
        if p == "/etag/chart.png":
            inm = self.headers.get("If-None-Match")
            if inm == '"v1"':
                return self.send(304, b"", None, [("ETag", '"v1"')])
            return self.send(200, png(8), "image/png",
                             [("ETag", '"v1"'), ("Last-Modified",
                                                 "Tue, 01 Mar 2005 10:00:00 GMT")])
        if p == "/etag/flaky.png":  # validators, then an outage
            if n > 1:
                return self.send(503, b"down", "text/plain")
            return self.send(200, png(10), "image/png", [("ETag", '"f1"')])
        # the benchmark
        if p.startswith("/bench/s/"):
            i = int(p[9:])
            body = png(i) + BLOCK[i % 256:i % 256 + 51200]
            return self.send(200, body[:51200], "image/png")
        if p.startswith("/bench/b/"):
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(50 << 20))
            self.end_headers()
            for _ in range(50):
                self.wfile.write(BLOCK)
            return
        return self.send(404, b"no such test path", "text/plain")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # a client that hangs up (a cap, a timeout, a kill) is a test case
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            super().handle_error(request, client_address)


def start(tls=None):
    """Starts a server on 127.0.0.1 and a free port in a thread; returns it.
    tls: (certfile, keyfile) to serve https."""
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State()
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    th = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                          daemon=True)
    th.start()
    srv.thread = th
    return srv


def stop(srv):
    srv.state.stopping.set()
    srv.shutdown()
    srv.server_close()
