"""A small client of Chromium's DevTools protocol over --remote-debugging-pipe
(JSON messages ended by a NUL byte, commands on the browser's fd 3, replies
and events on its fd 4). No network: the browser resolves no name but
127.0.0.1, so a page can reach nothing but the test's own server."""
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = os.environ.get("MTPORT_CHROMIUM") or shutil.which("chromium") or \
    shutil.which("chromium-browser")


class CDPError(Exception):
    pass


class Browser:
    def __init__(self, exe=CHROMIUM):
        if not exe:
            raise CDPError("chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="mtport-chromium-")
        to_r, self._to_w = os.pipe()      # our commands -> the browser's fd 3
        self._from_r, from_w = os.pipe()  # the browser's fd 4 -> us

        def fds():
            # via descriptors above 10, so neither end is overwritten
            a = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio",
                "--hide-scrollbars", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
                "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(3, 4),
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events = []
        self.session = None
        targets = self.call("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"]
        if page:
            tid = page[0]["targetId"]
        else:
            tid = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=tid,
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_w, self._from_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- messages ----

    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self._to_w, data)
            data = data[n:]

    def _read(self, deadline):
        """The next message, or None when the deadline passes."""
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self._from_r], [], [], left)
            if not r:
                return None
            chunk = os.read(self._from_r, 1 << 16)
            if not chunk:
                raise CDPError("the browser closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, session=True, timeout=30, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m is None:
                raise CDPError("%s: no answer in %ds" % (method, timeout))
            if m.get("id") == self._id:
                if "error" in m:
                    raise CDPError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, timeout=30, pred=None):
        """Waits for an event (kept in self.events too); None on timeout."""
        for m in self.events:
            if m["method"] == method and (pred is None or pred(m["params"])):
                return m
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m is None:
                return None
            if "method" in m:
                self.events.append(m)
                if m["method"] == method and (pred is None or pred(m["params"])):
                    return m

    def drain(self, seconds):
        """Collects the events of the next @seconds."""
        deadline = time.monotonic() + seconds
        while True:
            m = self._read(deadline)
            if m is None:
                return
            if "method" in m:
                self.events.append(m)

    # ---- pages ----

    def load(self, url, timeout=30, settle=0.0):
        """Navigates to @url and waits for its load event; the events of the
        visit are in self.events. Returns the navigation's result."""
        self.events = []
        res = self.call("Page.navigate", url=url, timeout=timeout)
        if res.get("errorText"):
            return res
        if not self.wait_event("Page.loadEventFired", timeout=timeout):
            raise CDPError("%s: no load event in %ds" % (url, timeout))
        if settle:
            self.drain(settle)
        return res

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise CDPError("script failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def url(self):
        return self.evaluate("location.href")
