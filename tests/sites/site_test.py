#!/usr/bin/python3
"""Consumer test for the Hugo, Jekyll and Eleventy exporters.

site_test.py DRIVER FLAVOR MODE INPUT TMPDIR [key=value...]
  MODE hard: the driver's built-in hard cases (INPUT is ignored)
  MODE run:  a real run over INPUT (skipped, exit 77, when absent or when no
             importer reads it yet)
Writes the site twice (the trees must be byte-identical), checks that nothing
lands outside the site folder, builds it with the real hugo or jekyll, and
checks that every post page and alias page exists where expected and shows
the post's title (and, for the hard cases, each expectation of the manifest).
"""
import html
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

import yaml

SKIP = 77
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def tree(root):
    out = {}
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def front_matter(path):
    with open(path, "rb") as fh:
        data = fh.read()
    text = data.decode("utf-8")  # must be valid UTF-8
    if not text.startswith("---\n"):
        fail("%s: no front matter" % path)
        return {}, ""
    end = text.index("\n---\n", 3)
    fm = yaml.safe_load(text[4 : end + 1])
    return fm, text[end + 5 :]


def parse_time(s):
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(s)


def page_text(path):
    with open(path, encoding="utf-8") as fh:
        return html.unescape(fh.read())


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def old_urls(site, flavor, fm, slug):
    """The old URLs a post keeps: Hugo's aliases, jekyll-redirect-from's
    redirect_from, or the permalink of Eleventy's redirect page."""
    if flavor == "hugo":
        return fm.get("aliases") or []
    if flavor == "jekyll":
        return fm.get("redirect_from") or []
    p = os.path.join(site, "redirects", slug + ".md")
    if not os.path.exists(p):
        return []
    rfm, _ = front_matter(p)
    return [rfm["mt_old_url"]]


def built(dest, url):
    """The built file serving the site-relative @url, or None."""
    path = urllib.parse.unquote(url.split("#")[0]).lstrip("/")
    for cand in (path, os.path.join(path, "index.html")):
        p = os.path.join(dest, cand)
        if cand and os.path.isfile(p):
            return p
    if not path and os.path.isfile(os.path.join(dest, "index.html")):
        return os.path.join(dest, "index.html")
    return None


def check_scaffold(flavor, site, dest, posts):
    """The scaffold's pages: each post's categories and tags link to pages
    that list it, its month's archive page (MT's old address) lists it, and
    the Atom feed at every MT feed address keeps the posts' own ids."""
    import xml.etree.ElementTree as ET
    ids = {}
    home = re.search(r'<p class="site-title"><a href="([^"]*)"', posts[0][3]) \
        if posts else None
    base = home.group(1) if home else "/"

    def page_at(href):
        if href and href.startswith(base):
            href = "/" + href[len(base):]
        return href and built(dest, href)

    def lists(path, url):
        text = page_raw(path)
        return url in text or urllib.parse.quote(url) in text

    for r, fm, url, raw in posts:
        if fm.get("draft") or r.startswith("_drafts"):
            continue  # built here, but in no public list
        foot = re.search(r'<footer class="terms">(.*?)</footer>', raw, re.S)
        links = dict((html.unescape(t), h) for h, t in re.findall(
            r'<a href="([^"]+)">([^<]*)</a>', foot.group(1) if foot else ""))
        for key in ("categories", "tags"):
            for name in fm.get(key) or []:
                href = links.get(name)
                page = page_at(href)
                if not page:
                    fail("%s: no working link to %s %r (%r)" % (r, key, name, href))
                elif not lists(page, url):
                    fail("%s: the page of %s %r does not list %s" % (r, key, name, url))
        when = fm.get("date")
        if isinstance(when, datetime.datetime):
            month = built(dest, when.strftime("/%Y/%m/"))
            if not month or not lists(month, url):
                fail("%s: the archive %s does not list it" % (r, when.strftime("/%Y/%m/")))
        fid = fm.get("mt_atom_id") or fm.get("mt_permalink")
        if fid:
            ids[url] = fid
    if not built(dest, "/404.html"):
        fail("no 404 page")
    ns = "{http://www.w3.org/2005/Atom}"
    for addr in ("/atom.xml", "/index.xml", "/index.rdf", "/rss.xml"):
        p = built(dest, addr)
        if not p:
            fail("no feed at %s" % addr)
            continue
        try:
            root = ET.parse(p).getroot()
        except ET.ParseError as e:
            fail("feed %s: %s" % (addr, e))
            continue
        if root.tag != ns + "feed":
            fail("feed %s is not Atom: %s" % (addr, root.tag))
        for e in root.findall(ns + "entry"):
            link = e.find(ns + "link").get("href")
            path = urllib.parse.urlsplit(link).path
            want = ids.get(urllib.parse.unquote(path)) or ids.get(path)
            got = e.find(ns + "id").text
            if want and got != want:
                fail("feed %s: entry %s has id %r, not %r" % (addr, link, got, want))


def page_raw(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def main():
    driver, flavor, mode, inp, tmp = sys.argv[1:6]
    # expect-literal=TEXT: some built page must show TEXT as is
    literals = [a.split("=", 1)[1] for a in sys.argv[6:]
                if a.startswith("expect-literal=")]
    opts = [a for a in sys.argv[6:] if not a.startswith("expect-literal=")]
    section = "posts"
    scaffold = "scaffold" in opts
    for o in opts:
        if o.startswith("section="):
            section = o.split("=", 1)[1]
    if mode == "run" and not os.path.exists(inp):
        print("SKIP: %s is absent" % inp)
        return SKIP
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    sites = []
    for n in (1, 2):
        site = os.path.join(tmp, "site%d" % n)
        man = os.path.join(tmp, "manifest.json")
        arg = man if mode == "hard" else inp
        r = subprocess.run([driver, mode, flavor, site, arg] + opts)
        if r.returncode == SKIP:
            return SKIP
        if r.returncode != 0:
            fail("driver exited %d" % r.returncode)
            return 1
        sites.append(site)
    if tree(sites[0]) != tree(sites[1]):
        fail("two runs gave different trees")
    # nothing outside the site folders
    for entry in os.listdir(tmp):
        if entry not in ("site1", "site2", "manifest.json"):
            fail("stray file outside the site: %s" % entry)
    site = sites[0]
    for d, dirs, files in os.walk(site):
        for f in files + dirs:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.realpath(p).startswith(
                os.path.realpath(site) + os.sep
            ):
                fail("outside or link: %s" % p)

    # build with the real consumer (skipped when it is not installed, unless
    # CI requires consumers)
    tool = flavor
    eleventy = os.environ.get("MTPORT_ELEVENTY") or os.path.join(
        ROOT, "build-node", "node_modules", "@11ty", "eleventy", "cmd.cjs")
    if flavor == "eleventy":
        tool = "node" if os.path.exists(eleventy) else "eleventy (npm)"
    if not shutil.which(tool):
        if os.environ.get("MTPORT_REQUIRE_CONSUMERS"):
            fail("%s is not installed" % tool)
            return 1
        print("SKIP: %s is not installed" % tool)
        return SKIP
    if flavor == "hugo":
        dest = os.path.join(site, "public")
        cmd = ["hugo", "--source", site, "--destination", dest, "--buildDrafts",
               "--quiet"]
    elif flavor == "jekyll":
        dest = os.path.join(site, "_site")
        cmd = ["jekyll", "build", "--source", site, "--destination", dest,
               "--drafts", "--quiet"]
    else:
        # Eleventy reads its config from the folder it runs in
        dest = os.path.join(site, "_site")
        cmd = ["node", eleventy, "--input=.", "--output=_site", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=site)
    if r.returncode != 0:
        fail("%s exited %d:\n%s%s" % (cmd[0], r.returncode, r.stdout, r.stderr))
        return 1
    if "Liquid Warning" in r.stderr or "Liquid Exception" in r.stderr:
        fail("Liquid complained:\n" + r.stderr)

    # every content file: page and aliases
    entries = []
    for d, dirs, files in os.walk(site):
        rel = os.path.relpath(d, site)
        top = rel.split(os.sep)[0]
        if top in ("public", "_site", "layouts", "data", "_data", "_layouts",
                   "_includes", "redirects", "node_modules") or \
                top.startswith("mt_") or \
                (flavor == "hugo" and rel.split(os.sep)[1:2] and
                 rel.split(os.sep)[1].startswith("mt_")):
            continue
        for f in files:
            if not f.endswith(".md"):
                continue
            p = os.path.join(d, f)
            r = os.path.relpath(p, site)
            parts = r.split(os.sep)
            if flavor == "hugo":
                if parts[0] != "content":
                    continue
                page = parts[1] != section
            elif flavor == "eleventy":
                page = parts[0] != section
            else:
                if parts[0] not in ("_posts", "_drafts") and len(parts) != 1:
                    continue
                page = len(parts) == 1
            fm, body = front_matter(p)
            entries.append((r, fm, body, page))
    if not entries and mode == "hard":
        fail("no content files")
    by_title = {}
    all_text = {}
    posts = []
    for r, fm, body, page in entries:
        title = fm.get("title")
        if not isinstance(title, str):
            fail("%s: title is %r, not a string" % (r, title))
            continue
        slug = fm.get("slug")
        if not isinstance(slug, str) or not slug:
            fail("%s: slug %r" % (r, slug))
            continue
        if flavor == "hugo":
            url = ("/%s/" % slug) if page else ("/%s/%s/" % (section, slug))
        elif flavor == "eleventy":
            url = fm.get("permalink")
            if url is False:
                continue  # a draft: Eleventy writes no page for it
            if url != (("/%s/" % slug) if page else ("/%s/%s/" % (section, slug))):
                fail("%s: permalink %r" % (r, url))
                continue
        else:
            url = ("/%s/" % slug) if page else ("/posts/%s/" % slug)
        out = os.path.join(dest, url.strip("/"), "index.html")
        if not os.path.exists(out):
            fail("%s: no page at %s" % (r, out))
            continue
        text = page_text(out)
        all_text[title] = text
        by_title.setdefault(title, []).append((r, fm, text, slug))
        with open(out, encoding="utf-8") as fh:
            raw = fh.read()
        # the consumer read the very same title: the page's <h1> is it (an
        # untitled post's is the label lists show, never empty)
        shown = title
        if not title.strip():
            shown = fm.get("linkTitle") or fm.get("link_title")
            if not shown or not shown.strip():
                fail("%s: untitled, and no label to show: %r" % (r, fm))
        h1 = re.search(r"<h1>(.*?)</h1>", raw, re.S)
        if not h1 or html.unescape(h1.group(1)) != shown:
            fail("%s: page %s shows the title %r, not %r"
                 % (r, out, h1 and html.unescape(h1.group(1)), shown))
        if scaffold and not page:
            posts.append((r, fm, url, raw))
        # and the same instant as the front matter's date
        when = fm.get("date")
        tm = re.search(r'<time datetime="([^"]+)"', raw)
        if not page and isinstance(when, datetime.datetime) and (
            not tm or parse_time(html.unescape(tm.group(1))) != when
        ):
            fail("%s: page time %s, front matter %s"
                 % (r, tm and tm.group(1), when))
        for a in old_urls(site, flavor, fm, slug):
            ap = a.lstrip("/")
            if a.endswith("/"):
                ap += "index.html"
            elif "." not in os.path.basename(a):
                ap += ".html" if flavor == "jekyll" else "/index.html"
            apath = os.path.join(dest, ap)
            if not os.path.exists(apath):
                fail("%s: no alias page at %s" % (r, apath))
                continue
            atext = page_text(apath)
            if url not in atext and urllib.parse.quote(url) not in atext:
                fail("%s: alias %s does not point to %s" % (r, apath, url))
            if scaffold and title.strip() and title not in atext:
                fail("%s: alias %s does not name %r" % (r, apath, title))

    if scaffold:
        check_scaffold(flavor, site, dest, posts)

    for lit in literals:
        if not any(lit in t for t in all_text.values()):
            fail("no page shows %r literally" % lit)

    if mode == "hard":
        with open(os.path.join(tmp, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
        for m in manifest:
            got = by_title.get(m["title"])
            if not got and flavor == "eleventy" and m.get("draft"):
                # Eleventy gets no page for a draft, by design: the file
                # is there with permalink: false, out of every collection
                fms = [e[1] for e in entries if e[1].get("title") == m["title"]]
                fm = fms[0] if fms else {}
                if fm.get("permalink") is not False or \
                        fm.get("eleventyExcludeFromCollections") is not True:
                    fail("draft %r is published: %r" % (m["title"], fm))
                continue
            if not got:
                fail("no built page for title %r" % m["title"])
                continue
            if "slug" not in m:
                continue
            match = [g for g in got if g[3] == m["slug"]]
            if not match:
                fail("title %r: slug %r not among %r"
                     % (m["title"], m["slug"], [g[3] for g in got]))
                continue
            r, fm, text, slug = match[0]
            aliases = old_urls(site, flavor, fm, slug)
            want = m.get("alias")
            if want and flavor == "hugo" and not (
                want.endswith("/") or want.endswith(".html")
                or "." not in os.path.basename(want)
            ):
                want = None  # Hugo cannot serve it: redirects file instead
            if (aliases or None) != ([want] if want else None):
                fail("title %r: aliases %r, want %r" % (m["title"], aliases, want))
            for lit in (m.get("literal") or "").split("\n"):
                if lit and lit not in text:
                    fail("title %r: page lacks literal %r" % (m["title"], lit))
            if m.get("comments"):
                if "First comment text" not in text:
                    fail("title %r: comments not shown" % m["title"])
                if "Pending Person" in text:
                    fail("title %r: pending comment shown" % m["title"])
        # private data stays out unless asked for
        keep = any(o.startswith("keep-private") for o in opts)
        blob = b"".join(tree(site).values())
        for secret in (b"secret@example.com", b"192.0.2.7"):
            if (secret in blob) != keep:
                fail("commenter data %r present=%s with keep-private=%s"
                     % (secret, secret in blob, keep))
    print("%d content files checked" % len(entries))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
