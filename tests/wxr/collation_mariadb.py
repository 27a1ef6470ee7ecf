#!/usr/bin/python3
"""mtport's title folding held against a real MariaDB.

WordPress compares post titles in MariaDB/MySQL under utf8mb4_unicode_520_ci
(see exporters/wxr_collate.c). This starts a throwaway MariaDB server (its
own data folder and socket in a temporary folder, no network), stores
strings with their mtport fold, and asks the server:

  missed   strings the collation calls equal whose folds differ: a post
           WordPress would drop that mtport would not move. Must be none
           for the letters, digits and spaces of Latin, Greek, Cyrillic,
           kana and the full-width forms, for the corpus's titles and for
           hand-made titles;
  merged   strings with one fold that the collation keeps apart: a post
           moved a second that need not be. Counted, allowed.

usage: collation_mariadb.py WXR_TEST MTPORT [INPUT...]
exit 77 when MariaDB's server (mariadb-server-core) is not installed."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET

BLOCKS = [(0x20, 0x7E), (0xA0, 0x24F), (0x1E00, 0x1EFF), (0x370, 0x3FF),
          (0x1F00, 0x1FFF), (0x400, 0x52F), (0x3040, 0x30FF),
          (0xFF01, 0xFFEE)]

TITLES = [
    "Café", "CAFE", "cafe\u0301", "Straße", "STRASSE", "Æsop", "aesop",
    "Œuvre", "oeuvre", "Øre", "ore", "Łódź", "lodz", "ﬁle", "file", "x²",
    "x2", "Ⅻ", "xii", "title ", "title", "title\u00a0", "Ελληνικά",
    "ελληνικα", "ᾳ", "α", "σοφός", "ΣΟΦΟΣ", "Ёлка", "елка", "йод", "иод",
    "Ґанок", "ганок", "カタカナ", "かたかな", "ｶﾀｶﾅ", "ァ", "ア", "が", "か",
    "١٢٣", "123", " lead", "lead", "a-b", "ab", "AT&amp;T", "at&amp;t",
    "R&D", "r&d", "&lt;tag&gt;", "&LT;TAG&GT;", "0", "",
]


def codepoints():
    for a, b in BLOCKS:
        for c in range(a, b + 1):
            ch = chr(c)
            if unicodedata.category(ch)[0] in "LNZ":
                yield ch


def corpus_titles(mtport, inputs):
    titles = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.xml")
        for path in inputs:
            if not os.path.exists(path):
                continue
            r = subprocess.run([mtport, "convert", "--quiet", "--force",
                                "--recover", "--to", "wxr", "--output", out,
                                path], capture_output=True)
            if r.returncode in (0, 1) and os.path.exists(out):
                root = ET.parse(out).getroot()
                titles += [i.findtext("title") or "" for i in root.iter("item")]
    return titles


def sql_string(s):
    return "X'" + s.encode("utf-8").hex() + "'"


def main(argv):
    wxr_test, mtport, inputs = argv[1], argv[2], argv[3:]
    server = shutil.which("mariadbd") or (
        "/usr/sbin/mariadbd" if os.path.exists("/usr/sbin/mariadbd") else None)
    install = shutil.which("mariadb-install-db")
    client = shutil.which("mariadb")
    if not (server and install and client):
        print("SKIP: MariaDB's server is not installed (mariadb-server-core)")
        return 77
    strings = list(dict.fromkeys(
        list(codepoints()) + TITLES + corpus_titles(mtport, inputs)))
    strings = [s for s in strings if "\n" not in s]
    r = subprocess.run([wxr_test, "fold"], input="\n".join(strings) + "\n",
                       capture_output=True, text=True, encoding="utf-8")
    folds = r.stdout.split("\n")[:len(strings)]
    if r.returncode or len(folds) != len(strings):
        print("FAIL: wxr_test fold failed: " + r.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="mtport-mariadb-")
    proc = None
    try:
        data, sock = os.path.join(tmp, "data"), os.path.join(tmp, "sock")
        user = ["--user=" + pwd.getpwuid(0).pw_name] \
            if os.geteuid() == 0 else []
        r = subprocess.run([install, "--no-defaults", "--datadir=" + data,
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db"] + user, capture_output=True)
        if r.returncode:
            print("SKIP: mariadb-install-db failed: " + r.stderr.decode()[-500:])
            return 77
        proc = subprocess.Popen([server, "--no-defaults", "--datadir=" + data,
                                 "--socket=" + sock, "--skip-networking",
                                 "--pid-file=" + os.path.join(tmp, "pid"),
                                 "--log-error=" + os.path.join(tmp, "err")]
                                + user, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        sql = [client, "--no-defaults", "-S", sock, "-uroot", "-N", "-B",
               "--default-character-set=utf8mb4"]
        for _ in range(300):
            if proc.poll() is not None:
                print("SKIP: the MariaDB server did not start")
                return 77
            if subprocess.run(sql + ["-e", "SELECT 1"],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        else:
            print("SKIP: the MariaDB server did not answer")
            return 77
        script = ["CREATE DATABASE t; USE t;",
                  "CREATE TABLE s (s VARCHAR(4000) CHARACTER SET utf8mb4 "
                  "COLLATE utf8mb4_unicode_520_ci, f VARBINARY(16000));"]
        rows = ["(CONVERT(%s USING utf8mb4), X'%s')" % (sql_string(s), f)
                for s, f in zip(strings, folds)]
        for i in range(0, len(rows), 500):
            script.append("INSERT INTO s VALUES %s;" % ",".join(rows[i:i + 500]))
        script.append("SELECT 'missed', HEX(MIN(s)), HEX(MAX(s)) FROM s "
                      "GROUP BY s HAVING COUNT(DISTINCT f) > 1;")
        script.append("SELECT 'merged', COUNT(*) FROM (SELECT f FROM s "
                      "GROUP BY f HAVING COUNT(DISTINCT s) > 1) m;")
        r = subprocess.run(sql, input="\n".join(script), capture_output=True,
                           text=True)
        if r.returncode:
            print("FAIL: " + r.stderr)
            return 1
        missed = merged = 0
        for line in r.stdout.splitlines():
            cols = line.split("\t")
            if cols[0] == "missed":
                a, b = (bytes.fromhex(x).decode("utf-8") for x in cols[1:3])
                print(f"FAIL: MariaDB calls {a!r} and {b!r} equal; their "
                      "folds differ")
                missed += 1
            elif cols[0] == "merged":
                merged = int(cols[1])
        version = subprocess.run(sql + ["-e", "SELECT VERSION()"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"MariaDB {version}: {len(strings)} strings, {missed} missed, "
              f"{merged} folds merging strings the collation keeps apart")
        return 1 if missed else 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
