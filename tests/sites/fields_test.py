#!/usr/bin/python3
"""The source fields without a front-matter key of their own, through the
command line into Hugo, Jekyll and Eleventy, read back with PyYAML: KEYWORDS
as a "keywords" list, Hatena's IMAGE as "images" (Hugo, a list) or "image",
the other unmapped fields (and the comment switch) in the "mt_fields" map (a repeated field as a
list, keys YAML would read as something else quoted), and titles decoded
once as MT showed them.

usage: fields_test.py MTPORT"""
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("python3-yaml is not installed")
    sys.exit(77)

SAMPLE = """AUTHOR: Ann
TITLE: Japan News &amp; Info <em>now</em>
BASENAME: japan_news
STATUS: Publish
DATE: 01/02/2009 03:04:05 AM
IMAGE: https://example.com/eyecatch.jpg
ALLOW COMMENTS: 0
CF50_mood: calm
CF50_mood: calmer
true: a key YAML reads as a boolean
-----
BODY:
<p>Hello</p>
-----
KEYWORDS:
new york, tea ,, coffee
second line
-----
--------
AUTHOR: Ann
TITLE: Plain
BASENAME: plain
STATUS: Publish
DATE: 01/03/2009 03:04:05 AM
-----
BODY:
<p>Plain</p>
-----
--------
"""

exe = sys.argv[1]
failed = 0


def check(cond, what):
    global failed
    if not cond:
        failed += 1
        print("FAIL " + what)


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    check(text.startswith("---\n"), f"{path}: no front matter")
    return yaml.safe_load(text.split("---\n")[1])


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "fields.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(SAMPLE)
    for gen, image_key, image in (
            ("hugo", "images", ["https://example.com/eyecatch.jpg"]),
            ("jekyll", "image", "https://example.com/eyecatch.jpg"),
            ("eleventy", "image", "https://example.com/eyecatch.jpg")):
        out = os.path.join(tmp, gen)
        r = subprocess.run([exe, "convert", "--quiet", "--to", gen,
                            "--output", out, src],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{gen}: exit {r.returncode}: {r.stderr}")
        posts = {}
        for root, _, names in os.walk(out):
            for n in names:
                if n.endswith(".md") and "redirect" not in root:
                    fm = front_matter(os.path.join(root, n))
                    posts[fm.get("title")] = fm
        fm = posts.get("Japan News & Info now")
        check(fm is not None, f"{gen}: no post titled 'Japan News & Info now' "
              f"in {sorted(map(str, posts))}")
        if fm is None:
            continue
        check(fm.get("keywords") == ["new york", "tea", "coffee", "second line"],
              f"{gen}: keywords {fm.get('keywords')!r}")
        check(fm.get(image_key) == image, f"{gen}: {image_key} {fm.get(image_key)!r}")
        f = fm.get("mt_fields") or {}
        check(f.get("CF50_mood") == ["calm", "calmer"],
              f"{gen}: a repeated field {f.get('CF50_mood')!r}")
        check(f.get("true") == "a key YAML reads as a boolean",
              f"{gen}: the key 'true' {f!r}")
        check("IMAGE" not in f, f"{gen}: IMAGE also in mt_fields")
        check(f.get("allow_comments") == "0", f"{gen}: allow_comments {f!r}")
        plain = posts.get("Plain") or {}
        check("keywords" not in plain and "mt_fields" not in plain
              and image_key not in plain, f"{gen}: keys without a value {plain!r}")
    # JSON Feed: the item's image, and the same fields in _mtport.fields
    import json
    out = os.path.join(tmp, "feed.json")
    r = subprocess.run([exe, "convert", "--quiet", "--to", "jsonfeed",
                        "--output", out, src], capture_output=True, text=True)
    check(r.returncode == 0, f"jsonfeed: exit {r.returncode}: {r.stderr}")
    items = {i.get("title"): i for i in json.load(open(out, encoding="utf-8"))["items"]}
    it = items.get("Japan News & Info now") or {}
    check(it.get("image") == "https://example.com/eyecatch.jpg", f"jsonfeed: image {it!r}")
    f = (it.get("_mtport") or {}).get("fields") or {}
    check(f.get("CF50_mood") == ["calm", "calmer"] and "IMAGE" not in f,
          f"jsonfeed: _mtport.fields {f!r}")
    check((it.get("_mtport") or {}).get("keywords", "").startswith("new york, tea"),
          f"jsonfeed: keywords {it.get('_mtport')!r}")
print("ok" if not failed else f"{failed} failure(s)")
sys.exit(1 if failed else 0)
