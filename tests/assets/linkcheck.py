#!/usr/bin/env python3
"""Walks every page of a built site and checks what it refers to.

usage: linkcheck.py SITE_DIR --base-url URL --old-host HOST [--old-host ...]
                    [--reported FILE] [--quiet]

Every img src/srcset, a href, source src/srcset (and video/audio src,
video poster) of every .html page is resolved against the page's URL
(the site is served at --base-url):
  - a reference on the new site's host, or relative, must name a file of
    the built site (a folder means its index.html): "broken" otherwise;
  - a reference on an old host (--old-host: the blog's own hosts) must not
    be there at all, unless it is one mtport reported as kept (--reported:
    a file of URLs, one a line, or of mtport's diagnostics, whose
    "<tag attr> URL:" parts are read): "old" otherwise.
Other hosts, fragments, mailto: and javascript: are left alone. Prints a
summary; exit status 1 when anything is broken or old and unreported.
Standard library only.
"""
import argparse
import html.parser
import os
import re
import sys
import urllib.parse

CHECKED = {
    "img": ("src", "srcset"),
    "a": ("href",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
}


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []

    def handle_starttag(self, tag, attrs):
        want = CHECKED.get(tag)
        if not want:
            return
        seen = set()
        for name, value in attrs:
            if name not in want or name in seen or value is None:
                continue
            seen.add(name)  # the first of repeated attributes counts
            if name == "srcset":
                for cand in value.split(","):
                    cand = cand.strip().split()
                    if cand:
                        self.refs.append((tag, name, cand[0]))
            else:
                self.refs.append((tag, name, value.strip()))


def host_key(netloc):
    h = netloc.lower().rsplit("@", 1)[-1]
    h = re.sub(r":(80|443)$", "", h)
    return h[4:] if h.startswith("www.") else h


def norm_url(u, host=True):
    """An old URL as compared with the reported ones: no fragment, the
    host without www. (or no host), percent-encoding decoded."""
    p = urllib.parse.urlsplit(u)
    return (host_key(p.netloc) if host else "") + urllib.parse.unquote(
        p.path) + ("?" + p.query if p.query else "")


def same(reported, abs_url):
    """A reported URL as written (absolute, or root-relative) is this one."""
    if urllib.parse.urlsplit(reported).netloc:
        return norm_url(reported) == norm_url(abs_url)
    return norm_url(reported, False) == norm_url(abs_url, False)


def reported_urls(path, old_hosts):
    found = set()
    if not path:
        return found
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.search(r"<[a-z]+ [a-z]+> (\S+): ", line)
            u = m.group(1) if m else line.strip()
            if u:
                found.add(u)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--old-host", action="append", default=[])
    ap.add_argument("--reported")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    base = urllib.parse.urlsplit(a.base_url)
    new_host = host_key(base.netloc)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    old_hosts = {host_key(h) for h in a.old_host}
    raw_reported = reported_urls(a.reported, old_hosts)
    pages = 0
    checked = 0
    broken = []
    old = []
    kept = 0
    for root, dirs, files in os.walk(a.site):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, a.site).replace(os.sep, "/")
            page_url = urllib.parse.urlunsplit(
                (base.scheme, base.netloc, base_path + rel, "", ""))
            p = Refs()
            with open(path, encoding="utf-8", errors="replace") as f:
                p.feed(f.read())
            pages += 1
            for tag, attr, ref in p.refs:
                if not ref or ref.startswith("#"):
                    continue
                low = ref.lower()
                if low.startswith(("mailto:", "javascript:", "data:", "tel:")):
                    continue
                # the page's own base (relative references resolve here)
                abs_url = urllib.parse.urljoin(page_url, ref)
                u = urllib.parse.urlsplit(abs_url)
                if u.scheme not in ("http", "https"):
                    continue
                h = host_key(u.netloc)
                if h in old_hosts and h != new_host:
                    checked += 1
                    hit = any(r == ref or same(r, abs_url)
                              for r in raw_reported)
                    if hit:
                        kept += 1
                    else:
                        old.append((rel, tag, attr, ref))
                    continue
                if h != new_host:
                    continue
                checked += 1
                target = urllib.parse.unquote(u.path)
                if not target.startswith(base_path):
                    broken.append((rel, tag, attr, ref, "outside the site"))
                    continue
                fs = os.path.join(a.site, target[len(base_path):])
                if target.endswith("/") or os.path.isdir(fs):
                    fs = os.path.join(fs, "index.html")
                if not os.path.isfile(fs):
                    broken.append((rel, tag, attr, ref, "no such file"))
    for rel, tag, attr, ref, why in broken:
        print(f"broken: {rel}: <{tag} {attr}> {ref}: {why}")
    for rel, tag, attr, ref in old:
        print(f"old host: {rel}: <{tag} {attr}> {ref} (not reported by mtport)")
    print(f"linkcheck: {pages} pages, {checked} references checked, "
          f"{len(broken)} broken, {len(old)} on old hosts unreported, "
          f"{kept} on old hosts kept and reported")
    return 1 if broken or old else 0


if __name__ == "__main__":
    sys.exit(main())
