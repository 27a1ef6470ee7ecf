#!/usr/bin/env python3
"""mtport convert over the asset samples (make_samples.py), end to end.

usage: convert_test.py MTPORT SAMPLES WORK MODE [ARG]

modes:
  golden FLAVOR   the output of one flavor (hugo, hugo-bundle, jekyll,
                  eleventy, jsonfeed, wxr) over backup.tar.gz with the mirror,
                  its files and its diagnostics, compared with
                  tests/assets/golden/FLAVOR (MTPORT_UPDATE_GOLDEN=1 rewrites
                  it); a second run must give the same bytes
  site FLAVOR     hugo, hugo-bundle, jekyll or eleventy: the scaffolded site
                  built by the real tool, every page walked by linkcheck.py
                  (0 broken, no old-host reference mtport did not report),
                  and mtport-assets.tsv checked against the files
  forms           backup.tar.gz, .tgz, .zip, a re-sorted zip and the
                  extracted folder give the same site
  hostile         every hostile archive: refused with an error naming the
                  member, a failing exit status, nothing written outside
                  the output
  readback FLAVOR wxr or jsonfeed read back: its attachments against the
                  files beside it
  inspect         mtport inspect's file and link counts of the archive
  atom            an Atom export whose bodies use xml:base-relative URLs,
                  with a mirror, to every format with and without
                  --base-url: each stored file is referred to at its new
                  place (root-relative on a site, under the files folder
                  of a WXR or feed), never at the old host
  guards          no overwriting without --force, no writing through a
                  symlink in the output, member caps from the command line
Exit 77 when a tool the mode needs is missing (ctest: skipped).
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NEW = "https://new.example.net/"
OLD_HOSTS = ["example.com", "example.typepad.com", "a1.typepad.com"]
FLAVORS = {
    "hugo": ("hugo", []),
    "hugo-bundle": ("hugo", ["--bundle"]),
    "jekyll": ("jekyll", []),
    "eleventy": ("eleventy", []),
    "jsonfeed": ("jsonfeed", []),
    "wxr": ("wxr", []),
}
STREAMS = {"jsonfeed": "feed.json", "wxr": "site.xml"}


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def convert(mtport, samples, flavor, out, extra=(), inp="backup.tar.gz"):
    fmt, args = FLAVORS[flavor]
    cmd = [mtport, "convert", "--to", fmt, "--output", out, "--base-url", NEW,
           "--assets-from", os.path.join(samples, "mirror"), *args, *extra,
           os.path.join(samples, inp)]
    return run(cmd)


def tree(root):
    """{relative path: bytes} of every file below root."""
    got = {}
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                got[os.path.relpath(p, root)] = fh.read()
    return got


def snapshot(mtport, samples, flavor, work):
    """The output, its files and its diagnostics, in one folder."""
    snap = os.path.join(work, "snap")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(snap)
    if flavor in STREAMS:
        out = os.path.join(snap, STREAMS[flavor])
    else:
        out = os.path.join(snap, "site")
    r = convert(mtport, samples, flavor, out, ["--jobs", "2"])
    if r.returncode not in (0, 1):
        fail(f"convert exited {r.returncode}: {r.stderr}")
    err = r.stderr.replace(samples + "/", "SAMPLES/")
    with open(os.path.join(snap, "diagnostics.txt"), "w") as f:
        f.write(err)
    return snap


def mode_golden(mtport, samples, work, flavor):
    one = tree(snapshot(mtport, samples, flavor, os.path.join(work, "1")))
    two = tree(snapshot(mtport, samples, flavor, os.path.join(work, "2")))
    if one != two:
        diff = sorted(k for k in set(one) | set(two) if one.get(k) != two.get(k))
        fail(f"a second run gave different bytes: {diff[:5]}")
    golden = os.path.join(HERE, "golden", flavor)
    if os.environ.get("MTPORT_UPDATE_GOLDEN") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(os.path.join(work, "1", "snap"), golden)
        print("updated", golden)
        return
    if not os.path.isdir(golden):
        fail(f"no golden at {golden} (MTPORT_UPDATE_GOLDEN=1 makes it)")
    want = tree(golden)
    for k in sorted(set(want) | set(one)):
        if want.get(k) != one.get(k):
            print("differs:", k)
            if k in want and k in one:
                sys.stdout.writelines(
                    __import__("difflib").unified_diff(
                        want[k].decode("utf-8", "replace").splitlines(True),
                        one[k].decode("utf-8", "replace").splitlines(True),
                        "golden", "now", n=1))
            fail(f"{flavor}: output differs from {golden}")
    print(f"golden ok: {flavor}, {len(one)} files")


def check_tsv(samples, site, files_root):
    """Every asset of the backup and every URL a post uses has a row; every
    stored file is there with its size and SHA-256."""
    rows = {}
    with open(os.path.join(site, "mtport-assets.tsv"), encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            c = line.rstrip("\n").split("\t")
            rows[c[0]] = dict(zip(head, c))
    want = ["url", "status", "source", "stored", "bytes", "sha256", "posts",
            "reason"]
    if head != want:
        fail(f"mtport-assets.tsv header {head}")
    with open(os.path.join(samples, "MANIFEST.tsv"), encoding="utf-8") as f:
        f.readline()
        for line in f:
            c = line.rstrip("\n").split("\t")
            url = c[4]
            if c[1].endswith(".html"):
                continue  # MT's pop-up page: stands for its image
            if url in rows and rows[url]["status"] not in ("copied", "shared"):
                fail(f"{url}: {rows[url]['status']} ({rows[url]['reason']})")
    for url, r in rows.items():
        if r["status"] not in ("copied", "shared", "missing", "external",
                               "refused", "failed"):
            fail(f"{url}: status {r['status']}")
        if r["status"] != "copied" and not r["reason"]:
            fail(f"{url}: {r['status']} without a reason")
        if r["status"] in ("copied", "shared"):
            p = os.path.join(files_root, r["stored"])
            if not os.path.isfile(p):
                fail(f"{url}: stored file {p} is not there")
            data = open(p, "rb").read()
            if str(len(data)) != r["bytes"] or \
                    hashlib.sha256(data).hexdigest() != r["sha256"]:
                fail(f"{url}: {p} does not match its row")
        if not r["posts"]:
            fail(f"{url}: no post uses it")
    return rows


def mode_site(mtport, samples, work, flavor):
    site = os.path.join(work, "site")
    built = os.path.join(work, "built")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tool = FLAVORS[flavor][0]
    if tool == "eleventy":
        eleventy = os.environ.get("MTPORT_ELEVENTY") or os.path.join(
            HERE, "..", "..", "build-node", "node_modules", "@11ty",
            "eleventy", "cmd.cjs")
        if not os.path.exists(eleventy) or not shutil.which("node"):
            print("skipped: Eleventy is not installed (tests/run-all.sh)")
            sys.exit(77)
        build = ["node", os.path.abspath(eleventy), "--input=.",
                 "--output=" + built, "--quiet"]
    elif not shutil.which(tool):
        print(f"skipped: {tool} is not installed")
        sys.exit(77)
    elif tool == "hugo":
        build = ["hugo", "--quiet", "--destination", built]
    else:
        build = ["jekyll", "build", "--quiet", "--destination", built]
    r = convert(mtport, samples, flavor, site, ["--scaffold"])
    if r.returncode not in (0, 1):
        fail(f"convert exited {r.returncode}: {r.stderr}")
    log = os.path.join(work, "diagnostics.txt")
    with open(log, "w") as f:
        f.write(r.stderr)
    summary = [l for l in r.stderr.splitlines() if l.startswith("mtport: files:")]
    if not summary:
        fail("no files summary line")
    print(summary[0])
    files_root = os.path.join(site, "static") if flavor == "hugo" else site
    rows = check_tsv(samples, site, files_root)
    b = run(build, cwd=site, timeout=600)
    if b.returncode != 0:
        fail(f"{tool} failed: {b.stdout}{b.stderr}")
    # the report is for the person migrating, never published
    if os.path.exists(os.path.join(built, "mtport-assets.tsv")):
        fail(f"{tool} published mtport-assets.tsv")
    cmd = [sys.executable, os.path.join(HERE, "linkcheck.py"), built,
           "--base-url", NEW, "--reported", log]
    for h in OLD_HOSTS:
        cmd += ["--old-host", h]
    c = run(cmd)
    print(c.stdout, end="")
    if c.returncode != 0:
        fail("linkcheck found broken or unreported references")
    m = re.search(r"(\d+) references checked", c.stdout)
    if not m or int(m.group(1)) < 30:
        fail("linkcheck checked too few references")
    # the checker can fail: the same site without the asset layer has
    # references to the old hosts that nothing reported
    if flavor == "hugo":
        plain, plain_built = os.path.join(work, "plain"), os.path.join(
            work, "plain-built")
        r = run([mtport, "convert", "--to", "hugo", "--output", plain,
                 "--base-url", NEW, "--scaffold", "--no-assets",
                 os.path.join(samples, "backup.tar.gz")])
        b = run(["hugo", "--quiet", "--destination", plain_built], cwd=plain)
        c2 = run(cmd[:2] + [plain_built] + cmd[3:])
        if b.returncode != 0 or c2.returncode == 0:
            fail("linkcheck passed a site whose references were not moved")
    # every copied file is in the built site
    for url, r in rows.items():
        if r["status"] == "copied" and flavor != "hugo-bundle":
            if not os.path.isfile(os.path.join(built, r["stored"])):
                fail(f"{r['stored']} is not in the built site")
    print(f"site ok: {flavor}, {len(rows)} rows in mtport-assets.tsv")


def mode_forms(mtport, samples, work):
    shutil.rmtree(work, ignore_errors=True)
    first = None
    for inp in ["backup.tar.gz", "backup.tgz", "backup.zip",
                "backup-sorted.zip", "backup"]:
        out = os.path.join(work, inp.replace(".", "_"))
        r = convert(mtport, samples, "hugo", out, inp=inp)
        if r.returncode not in (0, 1):
            fail(f"{inp}: convert exited {r.returncode}: {r.stderr}")
        if "files: 11 copied, 4 shared" not in r.stderr:
            fail(f"{inp}: unexpected summary: {r.stderr[-400:]}")
        t = tree(out)
        if first is None:
            first = t
        elif t != first:
            diff = sorted(k for k in set(t) | set(first)
                          if t.get(k) != first.get(k))
            fail(f"{inp} gives another site than backup.tar.gz: {diff[:5]}")
    print(f"forms ok: 5 forms, {len(first)} files each")


# hostile archive -> (exit statuses accepted, what the error names)
HOSTILE = {
    "absolute.tar": ((1,), "/tmp/mtport-evil.txt"),
    "bomb.tar.gz": ((1, 3), "13-zeros.bmp"),
    "chardev.tar": ((1,), "13-null.jpg"),
    "device.tar": ((1, 3), "CON.xml"),
    "drive.zip": ((1,), "C:/evil.txt"),
    "duplicate.tar": ((1,), "12-tea.jpg"),
    "duplicate.zip": ((1,), "12-tea.jpg"),
    "encrypted.zip": ((1,), "13-secret.jpg"),
    "fifo.tar": ((1,), "13-pipe.jpg"),
    "hardlink.tar": ((1,), "13-hard.jpg"),
    "latin1-name.tar": ((0, 1), "not UTF-8"),
    "not-an-archive.tar.gz": ((3,), "not a Movable Type export"),
    "slip-deep.tar.gz": ((1,), "assets/../../evil.txt"),
    "slip.tar": ((1,), "../evil.txt"),
    "symlink.tar": ((1,), "13-link.jpg"),
    "truncated-header.tar": ((1, 3), "Backup-1.xml"),
    "truncated.tar.gz": ((1, 3), "13-temple.jpg"),
    "windows-slip.zip": ((1,), "../evil.txt"),
}


def mode_hostile(mtport, samples, work):
    hdir = os.path.join(samples, "hostile")
    have = sorted(os.listdir(hdir))
    if sorted(HOSTILE) != have:
        fail(f"hostile cases changed: {sorted(set(have) ^ set(HOSTILE))}")
    for name, (codes, needle) in sorted(HOSTILE.items()):
        box = os.path.join(work, name)
        shutil.rmtree(box, ignore_errors=True)
        os.makedirs(box)
        out = os.path.join(box, "site")
        r = run([mtport, "convert", "--to", "hugo", "--output", out,
                 os.path.join(hdir, name)])
        if r.returncode not in codes:
            fail(f"{name}: exit {r.returncode}, wanted {codes}: {r.stderr}")
        if needle not in r.stderr:
            fail(f"{name}: the error does not name '{needle}': {r.stderr}")
        outside = [p for p in os.listdir(box) if p != "site"]
        if outside or os.path.exists("/tmp/mtport-evil.txt") or \
                os.path.exists(os.path.join(work, "evil.txt")):
            fail(f"{name}: written outside the output: {outside}")
        for d, _, files in os.walk(box):
            for f in files:
                if "evil" in f or os.path.islink(os.path.join(d, f)):
                    fail(f"{name}: wrote {os.path.join(d, f)}")
        print(f"hostile ok: {name} (exit {r.returncode})")


def mode_guards(mtport, samples, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    out = os.path.join(work, "site")
    r = convert(mtport, samples, "hugo", out)
    if r.returncode not in (0, 1):
        fail(f"convert exited {r.returncode}: {r.stderr}")
    before = tree(out)
    # again without --force: nothing replaced
    r = convert(mtport, samples, "hugo", out)
    if r.returncode == 0 or "exists" not in r.stderr:
        fail(f"a second run without --force did not refuse: {r.stderr}")
    if tree(out) != before:
        fail("a refused run changed the output")
    r = convert(mtport, samples, "hugo", out, ["--force"])
    if r.returncode not in (0, 1) or tree(out) != before:
        fail(f"--force did not give the same output: {r.stderr}")
    # static/ as a symlink out of the output: refused, nothing written there
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere)
    out2 = os.path.join(work, "site2")
    os.makedirs(out2)
    os.symlink(elsewhere, os.path.join(out2, "static"))
    r = convert(mtport, samples, "hugo", out2)
    if r.returncode == 0 or "symlink" not in r.stderr:
        fail(f"a symlinked static/ was not refused: {r.stderr}")
    if os.listdir(elsewhere):
        fail(f"files written through a symlink: {os.listdir(elsewhere)}")
    # a member cap from the command line
    out3 = os.path.join(work, "site3")
    r = convert(mtport, samples, "hugo", out3,
                ["--archive-max-member", "300"])
    if "refused" not in r.stderr or "larger" not in r.stderr:
        fail(f"--archive-max-member 300 refused nothing: {r.stderr[-600:]}")
    r = run([mtport, "convert", "--to", "hugo", "--output", out3,
             "--archive-max-member", "lots", os.path.join(samples, "backup")])
    if r.returncode != 2:
        fail(f"a bad --archive-max-member was not a usage error: {r.stderr}")
    print("guards ok")


def mode_inspect(mtport, samples, work):
    """mtport inspect reads every form of the archive and counts the files
    and links its posts use (the counts the sample is made with)."""
    import json
    forms = ["backup.tar.gz", "backup.zip", "backup"]
    r = run([mtport, "inspect", "--json"] +
            [os.path.join(samples, f) for f in forms])
    if r.returncode != 0:
        fail(f"inspect exited {r.returncode}: {r.stderr}")
    got = json.loads(r.stdout)
    for f, o in zip(forms, got):
        want = {"entries": 5, "files": 19, "links_to_posts": 7,
                "links_to_other_pages": 8}
        have = {k: o.get(k) for k in want}
        if have != want:
            fail(f"inspect {f}: {have}, wanted {want}")
    r = run([mtport, "inspect", os.path.join(samples, "backup.tar.gz")])
    if "files:      19 referenced" not in r.stdout or \
            "links:      7 to posts of this input, 8 to other" not in r.stdout:
        fail(f"inspect's text: {r.stdout}")
    print("inspect ok")


def read_back(mtport, samples, work, flavor):
    """The WXR or JSON Feed read back: every file it names is in the folder
    beside it, byte for byte what mtport-assets.tsv says, and every
    reference to that folder in a post is one of them."""
    import json
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    name = STREAMS[flavor]
    out = os.path.join(work, name)
    files = os.path.join(work, name.rsplit(".", 1)[0] + "-files")
    prefix = NEW + os.path.basename(files) + "/"
    r = convert(mtport, samples, flavor, out)
    if r.returncode not in (0, 1):
        fail(f"convert exited {r.returncode}: {r.stderr}")
    rows = check_tsv(samples, files, files)
    stored = {r["stored"] for r in rows.values()
              if r["status"] in ("copied", "shared")}

    def local(url):
        if not url.startswith(prefix):
            fail(f"{url} is not below {prefix}")
        p = unquote(url[len(prefix):])
        if p not in stored or not os.path.isfile(os.path.join(files, p)):
            fail(f"{url}: no such stored file")
        return p

    refs = set()
    if flavor == "wxr":
        ns = {"wp": "http://wordpress.org/export/1.2/",
              "content": "http://purl.org/rss/1.0/modules/content/"}
        items = ET.parse(out).getroot().find("channel").findall("item")
        posts = {i.findtext("wp:post_id", namespaces=ns): i for i in items
                 if i.findtext("wp:post_type", namespaces=ns) != "attachment"}
        atts = [i for i in items
                if i.findtext("wp:post_type", namespaces=ns) == "attachment"]
        named = set()
        for a in atts:
            url = a.findtext("wp:attachment_url", namespaces=ns)
            named.add(local(url))
            parent = a.findtext("wp:post_parent", namespaces=ns)
            if parent != "0" and parent not in posts:
                fail(f"{url}: parent {parent} is no post of the WXR")
            if a.findtext("wp:status", namespaces=ns) != "inherit":
                fail(f"{url}: status is not inherit")
        for i in posts.values():
            body = i.findtext("content:encoded", namespaces=ns) or ""
            refs |= set(re.findall(re.escape(prefix) + r"[^\"' <>]+", body))
        if named != stored:
            fail(f"attachments {sorted(named ^ stored)} differ from the files")
        for u in refs:
            if local(u) not in named:
                fail(f"{u} is used by a post but has no attachment")
        print(f"wxr ok: {len(atts)} attachments, {len(posts)} posts, "
              f"{len(refs)} references to them")
    else:
        feed = json.load(open(out, encoding="utf-8"))
        n = 0
        for it in feed["items"]:
            for a in it.get("attachments", []):
                p = local(a["url"])
                data = open(os.path.join(files, p), "rb").read()
                if a.get("size_in_bytes") != len(data) or not a["mime_type"]:
                    fail(f"{a['url']}: size or type wrong: {a}")
                n += 1
            if "image" in it:
                local(it["image"])
            for u in re.findall(re.escape(prefix) + r"[^\"' <>]+",
                                it.get("content_html", "")):
                if u not in {a["url"] for a in it.get("attachments", [])}:
                    fail(f"{u} is used by an item but not attached")
                refs.add(u)
        if n == 0:
            fail("no attachments")
        print(f"jsonfeed ok: {n} attachments, {len(refs)} references")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
  <title>Relative things</title>
  <link rel="alternate" type="text/html" href="https://blog.example.org/" />
  <id>tag:blog.example.org,2009://1</id>
  <updated>2009-05-02T10:00:00Z</updated>
  <entry>
    <title>Pictures</title>
    <link rel="alternate" type="text/html"
          href="https://blog.example.org/2009/05/pictures.html" />
    <id>tag:blog.example.org,2009://1.7</id>
    <published>2009-05-02T10:00:00Z</published>
    <updated>2009-05-02T10:00:00Z</updated>
    <content type="html" xml:base="https://blog.example.org/2009/05/">
      &lt;p&gt;&lt;img src="pics/cat.png" alt="cat"&gt; and
      &lt;a href="/files/notes.pdf"&gt;the notes&lt;/a&gt;, after
      &lt;a href="older.html"&gt;the older post&lt;/a&gt;.&lt;/p&gt;
    </content>
  </entry>
  <entry>
    <title>Older</title>
    <link rel="alternate" type="text/html"
          href="https://blog.example.org/2009/05/older.html" />
    <id>tag:blog.example.org,2009://1.6</id>
    <published>2009-05-01T10:00:00Z</published>
    <updated>2009-05-01T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Nothing to see.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def mode_atom(mtport, samples, work):
    """Atom bodies carry their base (xml:base): a stored file's new
    root-relative URL must not be resolved against it again."""
    del samples
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "mirror", "2009", "05", "pics"))
    os.makedirs(os.path.join(work, "mirror", "files"))
    png = b"\x89PNG\r\n\x1a\n" + b"cat" * 10
    with open(os.path.join(work, "mirror", "2009", "05", "pics", "cat.png"),
              "wb") as f:
        f.write(png)
    with open(os.path.join(work, "mirror", "files", "notes.pdf"), "wb") as f:
        f.write(b"%PDF-1.4 notes")
    atom = os.path.join(work, "relative.atom")
    with open(atom, "w", encoding="utf-8") as f:
        f.write(ATOM)
    mirror = os.path.join(work, "mirror")
    for base in (None, NEW):
        for flavor, (fmt, args) in FLAVORS.items():
            name = f"{flavor}-{'base' if base else 'nobase'}"
            out = os.path.join(work, name)
            if flavor in STREAMS:
                os.makedirs(out)
                out = os.path.join(out, STREAMS[flavor])
            cmd = [mtport, "convert", "-q", "--to", fmt, "--output", out,
                   "--assets-from", mirror, *args, atom]
            if base:
                cmd[2:2] = ["--base-url", base]
            r = run(cmd)
            if r.returncode != 0:
                fail(f"{name}: exit {r.returncode}: {r.stderr}")
            if "files: 2 copied" not in r.stderr:
                fail(f"{name}: not both files copied: {r.stderr}")
            text = {}
            for rel, data in tree(os.path.dirname(out) if flavor in STREAMS
                                  else out).items():
                if rel.endswith((".md", ".json", ".xml")):
                    try:
                        text[rel] = data.decode("utf-8")
                    except UnicodeDecodeError:
                        fail(f"{name}: {rel} is not UTF-8")
            body = "\n".join(text.values())
            for old in ("blog.example.org/2009/05/pics/cat.png",
                        "blog.example.org/files/notes.pdf"):
                if old in body:
                    fail(f"{name}: a stored file keeps its old URL {old}")
            if flavor in STREAMS:
                stem = os.path.splitext(STREAMS[flavor])[0]
                home = base or "https://blog.example.org/"
                want = f"{home}{stem}-files/2009/05/pics/cat.png"
            elif flavor == "hugo-bundle":
                want = "(cat.png)"
            else:
                want = "(/2009/05/pics/cat.png)"
            if want not in body:
                fail(f"{name}: no reference {want} in the output")
            # the link between the posts goes to the new post (sites)
            if flavor not in STREAMS and re.search(r"\]\([^)]*older\.html",
                                                   body):
                fail(f"{name}: the link to the older post keeps its old URL")
    print("atom ok")


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    mtport, samples, work, mode = sys.argv[1:5]
    samples = os.path.abspath(samples)
    work = os.path.abspath(work)
    arg = sys.argv[5] if len(sys.argv) > 5 else None
    if mode == "golden":
        mode_golden(mtport, samples, work, arg)
    elif mode == "site":
        mode_site(mtport, samples, work, arg)
    elif mode == "forms":
        mode_forms(mtport, samples, work)
    elif mode == "hostile":
        mode_hostile(mtport, samples, work)
    elif mode == "guards":
        mode_guards(mtport, samples, work)
    elif mode == "inspect":
        mode_inspect(mtport, samples, work)
    elif mode == "atom":
        mode_atom(mtport, samples, work)
    elif mode == "readback":
        read_back(mtport, samples, work, arg)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
