#!/usr/bin/python3
"""The WordPress importer's rules for dropping posts, checked on mtport's WXR.

WordPress is not installed here, so its rules are rebuilt from its source:
wordpress-importer 0.9.5 (src/class-wp-import.php, process_posts) with
WordPress 6.1 (post_exists() in wp-admin/includes/post.php, wp_insert_post()
in wp-includes/post.php). For every item, in file order, the importer

  - skips it when its wp:post_id was already imported (processed_posts);
  - calls post_exists(title, '', post_date, post_type): a post already in
    the database "exists" when it has that post_type, that post_date (the
    local date, compared as a DATETIME) and, unless the title is empty() in
    PHP ("" or "0"), a post_title the database calls equal to the title
    searched for. The title searched for is trim()med and stripslashes()ed
    (sanitize_post_field(..., 'db') and wp_unslash()); the titles stored
    were trim()med only. MariaDB compares under utf8mb4_unicode_520_ci:
    UCA primary weights, trailing spaces ignored (PAD SPACE);
  - otherwise inserts it with wp_insert_post(), which refuses a post whose
    title, content and excerpt are all empty ('post' supports all three;
    'page' has no excerpt, so a page is never refused for that); an undated
    post is stored with the import time, so it never matches a later one.

The collation is not mtport's folding: titles are compared by Perl's
Unicode::Collate (the Unicode Collation Algorithm with its own DUCET, level
1, variable weights non-ignorable, no normalization), which stands for
MariaDB's UCA here, so the check does not share mtport's assumptions.

usage: wp_duplicates.py MTPORT INPUT...   (convert each input to WXR, check)
       wp_duplicates.py --self-test       (the checker must catch drops)
exit 77 when no input exists or Perl's Unicode::Collate is missing."""
import os
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
}

PERL = r"""
use strict; use warnings; use utf8;
use Unicode::Collate;
binmode STDIN, ':encoding(UTF-8)'; binmode STDOUT, ':encoding(UTF-8)';
$| = 1;
my $c = Unicode::Collate->new(level => 1, variable => 'non-ignorable',
                              normalization => undef);
while (my $line = <STDIN>) {
  chomp $line;
  my ($a, $b) = split /\t/, $line, 2;
  $b = '' unless defined $b;
  print $c->eq($a, $b) ? "1\n" : "0\n";
}
"""


class Collation:
    """Equality of two titles under the database's collation."""

    def __init__(self):
        self.proc = subprocess.Popen(["perl", "-e", PERL], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8")
        self.cache = {}

    @staticmethod
    def pad(s):
        # PAD SPACE: trailing characters that weigh as a space do not count
        while s and unicodedata.category(s[-1]) == "Zs":
            s = s[:-1]
        return s

    def equal(self, a, b):
        a, b = self.pad(a), self.pad(b)
        if a == b:
            return True
        key = (a, b)
        if key not in self.cache:
            # the line protocol cannot carry these; they never occur in a
            # title read back from XML, but keep the pipe in step anyway
            a2 = a.replace("\t", " ").replace("\n", " ")
            b2 = b.replace("\t", " ").replace("\n", " ")
            self.proc.stdin.write(a2 + "\t" + b2 + "\n")
            self.proc.stdin.flush()
            self.cache[key] = self.proc.stdout.readline().strip() == "1"
        return self.cache[key]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def php_trim(s):
    return s.strip(" \t\n\r\0\x0b")


def php_empty(s):
    return s == "" or s == "0"


def stripslashes(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\":
            i += 1
            if i < len(s):
                out.append("\0" if s[i] == "0" else s[i])
        else:
            out.append(s[i])
        i += 1
    return "".join(out)


def text(item, path):
    e = item.find(path, NS)
    return e.text or "" if e is not None else ""


def check(wxr, collation, name):
    """The importer over one WXR; returns a list of problems."""
    problems = []
    root = ET.parse(wxr).getroot()
    processed = set()
    stored = {}  # (type, date) -> titles stored (trimmed)
    n = 0
    for n, item in enumerate(root.iter("item"), 1):
        title = text(item, "title")
        post_id = text(item, "wp:post_id")
        ptype = text(item, "wp:post_type")
        date = text(item, "wp:post_date")
        status = text(item, "wp:status")
        what = f"{name}: item {n} {title[:40]!r} ({date})"
        if post_id and post_id != "0" and post_id in processed:
            problems.append(f"{what}: post id {post_id} already imported")
            continue
        if status == "auto-draft":
            problems.append(f"{what}: auto-draft, skipped")
            continue
        # post_exists(title, '', date, type)
        searched = stripslashes(php_trim(title))
        undated = date in ("", "0000-00-00 00:00:00")
        if not undated:
            for other in stored.get((ptype, date), []):
                if php_empty(title) or collation.equal(searched, other):
                    problems.append(f"{what}: skipped as 'already exists' "
                                    f"(matches {other[:40]!r})")
                    break
            else:
                other = None
            if other is not None:
                processed.add(post_id)
                continue
        # wp_insert_post()
        content = text(item, "content:encoded")
        excerpt = text(item, "excerpt:encoded")
        if ptype == "post" and all(php_empty(v) for v in
                                   (php_trim(title), content, excerpt)):
            problems.append(f"{what}: refused, title, content and excerpt "
                            "are all empty")
            continue
        processed.add(post_id)
        if not undated:
            stored.setdefault((ptype, date), []).append(php_trim(title))
    return problems, n


def self_test(collation):
    """Drops the checker must see, and near misses it must let through."""
    items = [
        ("Café Society", "2012-01-01 10:00:00", "post", "1"),
        ("CAFE SOCIETY", "2012-01-01 10:00:00", "post", "2"),   # dropped
        ("", "2012-01-01 10:00:00", "post", "3"),               # dropped
        ("Cafe Society", "2012-01-01 10:00:01", "post", "4"),
        ("Cafe Society", "2012-01-01 10:00:00", "page", "5"),
        ("Æsop ", "2012-01-01 11:00:00", "post", "6"),
        ("aesop", "2012-01-01 11:00:00", "post", "7"),          # dropped
        ("й", "2012-01-01 12:00:00", "post", "8"),
        ("и", "2012-01-01 12:00:00", "post", "9"),
        ("x", "2012-01-01 13:00:00", "post", "9"),              # id again
    ]
    rss = ['<rss version="2.0" xmlns:wp="%s" xmlns:content="%s" '
           'xmlns:excerpt="%s"><channel>' % (NS["wp"], NS["content"],
                                              NS["excerpt"])]
    for t, d, ty, i in items:
        rss.append("<item><title><![CDATA[%s]]></title><wp:post_id>%s"
                   "</wp:post_id><wp:post_date>%s</wp:post_date>"
                   "<wp:post_type>%s</wp:post_type><content:encoded>body"
                   "</content:encoded></item>" % (t, i, d, ty))
    rss.append("</channel></rss>")
    with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8",
                                     delete=False) as f:
        f.write("".join(rss))
    try:
        problems, _ = check(f.name, collation, "self-test")
    finally:
        os.unlink(f.name)
    flagged = sorted(int(p.split("item ")[1].split()[0]) for p in problems)
    if flagged != [2, 3, 7, 10]:
        print("FAIL: the checker flagged items %s, expected [2, 3, 7, 10]:\n  %s"
              % (flagged, "\n  ".join(problems)))
        return 1
    print("self-test: the checker sees the four drops")
    return 0


def main(argv):
    try:
        collation = Collation()
        if not collation.equal("Ça", "ca"):
            raise OSError("Unicode::Collate gave an unexpected answer")
    except (OSError, BrokenPipeError) as e:
        print(f"SKIP: Perl's Unicode::Collate is not usable: {e}")
        return 77
    try:
        if argv[1:2] == ["--self-test"]:
            return self_test(collation)
        exe, inputs = argv[1], [f for f in argv[2:] if os.path.exists(f)]
        if not inputs:
            print("SKIP: no input present")
            return 77
        failed = checked = 0
        with tempfile.TemporaryDirectory() as tmp:
            for path in inputs:
                out = os.path.join(tmp, "out.xml")
                r = subprocess.run([exe, "convert", "--quiet", "--force",
                                    "--recover", "--to", "wxr", "--output",
                                    out, path], capture_output=True, text=True)
                if r.returncode not in (0, 1) or not os.path.exists(out):
                    print(f"FAIL {path}: mtport exited {r.returncode}: "
                          f"{r.stderr.strip()}")
                    failed += 1
                    continue
                problems, items = check(out, collation, os.path.basename(path))
                checked += items
                for p in problems:
                    print("FAIL " + p)
                failed += len(problems)
        print(f"{len(inputs)} inputs, {checked} items through the importer's "
              f"rules, {failed} lost")
        return 1 if failed else 0
    finally:
        collation.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
