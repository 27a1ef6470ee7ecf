#!/usr/bin/python3
"""Generates a synthetic Movable Type export with N entries and realistic
bodies (paragraphs, lists, code, tables, links, images, entities), as an
Atom feed or an MT text export (with comments), streamed to stdout, so
memory stays flat for a 2 GB file.

usage: gen.py atom|text N [SEED] > file"""
import random
import sys

WORDS = ("the quick brown fox jumps over lazy dog server backup network "
         "kernel module disk cache latency throughput deploy config review "
         "blog post archive comment trackback category tag rsync nginx "
         "東京 データ 서버 сервер café naïve").split()


def words(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def body(r, i):
    parts = []
    for _ in range(r.randint(3, 7)):
        kind = r.random()
        if kind < 0.45:
            parts.append(f"<p>{words(r, 30)} <a href=\"/{2000 + i % 20}/{i % 12 + 1:02d}/p{i}.html\" "
                         f"title=\"see &quot;{words(r, 2)}&quot;\">{words(r, 3)}</a> "
                         f"<strong>{words(r, 2)}</strong>, <em>{words(r, 2)}</em> &amp; more.</p>")
        elif kind < 0.6:
            items = "".join(f"<li>{words(r, 6)}</li>" for _ in range(r.randint(2, 5)))
            parts.append(f"<ul>{items}</ul>")
        elif kind < 0.72:
            code = "\n".join(f"  {words(r, 4)} = {r.randint(0, 99)};" for _ in range(4))
            parts.append(f"<pre class=\"brush: bash\">{code}\n  if (a &lt; b) {{ x++; }}</pre>")
        elif kind < 0.82:
            rows = "".join(f"<tr><td>{words(r, 1)}</td><td>{r.randint(0, 999)}</td></tr>"
                           for _ in range(3))
            parts.append(f"<table><tr><th>name</th><th>value</th></tr>{rows}</table>")
        elif kind < 0.92:
            parts.append(f"<p><img src=\"images/img{i}.png\" alt=\"{words(r, 2)}\" "
                         f"width=\"400\" height=\"300\" /><br />{words(r, 10)}</p>")
        else:
            parts.append(f"<blockquote><p>{words(r, 20)}</p></blockquote>")
    return "\n".join(parts)


def atom(n, r, out):
    w = out.write
    w('<?xml version="1.0" encoding="utf-8"?>\n'
      '<feed xmlns="http://www.w3.org/2005/Atom">\n'
      '<title>Synthetic Blog</title>\n'
      '<link rel="alternate" type="text/html" href="https://bench.example.com/" />\n'
      '<link rel="self" type="application/atom+xml" href="https://bench.example.com/atom.xml" />\n'
      '<id>tag:bench.example.com,2005-01-01://1</id>\n'
      '<updated>2020-01-01T00:00:00Z</updated>\n'
      '<generator uri="http://www.sixapart.com/movabletype/">Movable Type 4.38</generator>\n')
    for i in range(n, 0, -1):
        y, m, d = 2000 + i % 20, i % 12 + 1, i % 28 + 1
        tags = "".join(
            f'<category term="{t}" label="{t.title()}" scheme="http://www.sixapart.com/ns/types#tag" />\n'
            for t in r.sample(WORDS[:20], 3))
        w(f'<entry>\n<title>{words(r, 6)} #{i}</title>\n'
          f'<link rel="alternate" type="text/html" href="https://bench.example.com/{y}/{m:02d}/entry-{i}.html" />\n'
          f'<id>tag:bench.example.com,{y}://1.{i}</id>\n'
          f'<published>{y}-{m:02d}-{d:02d}T{i % 24:02d}:{i % 60:02d}:00Z</published>\n'
          f'<updated>{y}-{m:02d}-{d:02d}T{i % 24:02d}:{i % 60:02d}:30Z</updated>\n'
          f'<summary>{words(r, 20)}</summary>\n'
          f'<author><name>Author {i % 7}</name></author>\n'
          f'<category term="Section {i % 9}" scheme="http://www.sixapart.com/ns/types#category" />\n'
          f'{tags}'
          f'<content type="html" xml:lang="en" xml:base="https://bench.example.com/"><![CDATA['
          f'{body(r, i)}]]></content>\n</entry>\n')
    w('</feed>\n')


def text(n, r, out):
    w = out.write
    for i in range(1, n + 1):
        y, m, d = 2000 + i % 20, i % 12 + 1, i % 28 + 1
        w(f"AUTHOR: author{i % 7}\nTITLE: {words(r, 6)} #{i}\nBASENAME: entry_{i}\n"
          f"STATUS: {'Publish' if i % 10 else 'Draft'}\nALLOW COMMENTS: 1\nALLOW PINGS: 0\n"
          f"CONVERT BREAKS: {'__default__' if i % 3 == 0 else '0'}\n"
          f"PRIMARY CATEGORY: Section {i % 9}\nCATEGORY: Section {i % 9}\n"
          f"DATE: {m:02d}/{d:02d}/{y} {i % 12 + 1:02d}:{i % 60:02d}:00 {'AM' if i % 2 else 'PM'}\n"
          f"TAGS: {' '.join(r.sample(WORDS[:20], 3))}\n-----\nBODY:\n{body(r, i)}\n-----\n"
          f"EXTENDED BODY:\n{body(r, i + 1) if i % 4 == 0 else ''}\n-----\n"
          f"EXCERPT:\n\n-----\nKEYWORDS:\n\n-----\n")
        for c in range(i % 3):
            w(f"COMMENT:\nAUTHOR: Reader {c}\nEMAIL: reader{c}@example.com\nIP: 192.0.2.{c + 1}\n"
              f"URL: https://reader{c}.example.org/\n"
              f"DATE: {m:02d}/{d:02d}/{y} 0{c + 1}:00:00 PM\n{words(r, 25)}\n-----\n")
        w("--------\n")


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", buffering=1 << 20)
    (atom if kind == "atom" else text)(n, r, out)
    out.flush()


if __name__ == "__main__":
    main()
