#!/usr/bin/env python3
"""Makes the asset samples: an MT backup archive as MT writes it, a copy
of the old site for --assets-from, and hostile archives.

usage: make_samples.py OUTDIR                 the samples (below)
       make_samples.py --bench OUTDIR POSTS ASSETS
                                              a big backup for benchmarks

Everything is made here, byte for byte the same on every run: images are
encoded by this script (PNG with zlib, GIF with its own LZW writer, a
baseline JPEG with its own Huffman writer, a PDF with its xref), archives
have fixed times, owners and member order, gzip streams carry no date.

OUTDIR/
  backup/                the extracted backup: NAME-1.xml, NAME-2.xml
                         (split), NAME.manifest, <asset_id>-<file_name>
  backup.tar.gz          the same as MT packs it: XML parts, assets, manifest
  backup.tgz             the same bytes under MT's other extension
  backup.zip             zip, same member order
  backup-sorted.zip      re-zipped by a user: names sorted, assets first
  mirror/                a copy of the old site's files: a site folder
                         (blog/...), and wget --mirror hosts
                         (example.typepad.com/..., a1.typepad.com/...)
  hostile/*.tar|.tar.gz|.zip   one refusal each (see HOSTILE below)
  MANIFEST.tsv           what each post refers to and what it should become
"""
import gzip
import hashlib
import io
import os
import random
import shutil
import struct
import sys
import tarfile
import warnings
import zipfile
import zlib

# duplicate.zip is meant to hold a name twice
warnings.filterwarnings("ignore", "Duplicate name", UserWarning)

NAME = "Movable_Type-2014-11-14-12-13-53-Backup"
SITE = "http://example.com/blog/"
MTIME = 1415967233  # 2014-11-14 12:13:53 UTC, every member's time
ZIPTIME = (2014, 11, 14, 12, 13, 52)

# ---- files made here ------------------------------------------------------


def png(width, height, seed):
    """An RGB PNG with a pattern that depends on seed."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 7 + seed * 31) & 255, (y * 5 + seed * 17) & 255,
                           ((x ^ y) + seed * 11) & 255))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def gif(width, height, seed):
    """A 4-colour GIF89a. The LZW stream sends a clear code every two
    pixels, so codes stay 3 bits wide: valid, if not small."""
    palette = bytes([0, 0, 0, 255, 255, 255, (seed * 40) & 255, 90, 30,
                     20, 120, (seed * 70) & 255])
    pixels = [((x // 3 + y // 3 + seed) % 4) for y in range(height)
              for x in range(width)]
    clear, end = 4, 5
    codes = []
    for i in range(0, len(pixels), 2):
        codes.append(clear)
        codes.extend(pixels[i:i + 2])
    codes.append(end)
    bits = nbits = 0
    data = bytearray()
    for c in codes:
        bits |= c << nbits
        nbits += 3
        while nbits >= 8:
            data.append(bits & 255)
            bits >>= 8
            nbits -= 8
    if nbits:
        data.append(bits & 255)
    blocks = bytearray()
    for i in range(0, len(data), 255):
        part = data[i:i + 255]
        blocks += bytes([len(part)]) + part
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0x81, 0, 0) +
            palette + b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) +
            b"\x02" + bytes(blocks) + b"\x00\x3b")


def _huffman_codes(counts, values):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


# the DC luminance table of ITU T.81 Annex K.3; AC holds only EOB
DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALUES = list(range(12))
AC_COUNTS = [1] + [0] * 15
AC_VALUES = [0]


def jpeg(width, height, seed):
    """A baseline greyscale JPEG whose 8x8 blocks are flat greys: each
    block is its DC coefficient and an end-of-block."""
    bw, bh = (width + 7) // 8, (height + 7) // 8
    dc = _huffman_codes(DC_COUNTS, DC_VALUES)
    ac = _huffman_codes(AC_COUNTS, AC_VALUES)
    out = bytearray()
    acc = nacc = 0

    def put(code, length):
        nonlocal acc, nacc
        acc = (acc << length) | code
        nacc += length
        while nacc >= 8:
            b = (acc >> (nacc - 8)) & 255
            out.append(b)
            if b == 0xFF:
                out.append(0)
            nacc -= 8
        acc &= (1 << nacc) - 1 if nacc else 0
    prev = 0
    for by in range(bh):
        for bx in range(bw):
            grey = 40 + ((bx * 37 + by * 23 + seed * 53) % 180)
            coef = 8 * (grey - 128)
            diff = coef - prev
            prev = coef
            size = abs(diff).bit_length()
            put(*dc[size])
            if size:
                put(diff if diff > 0 else diff + (1 << size) - 1, size)
            put(*ac[0])
    if nacc:
        put((1 << (8 - nacc)) - 1, 8 - nacc)

    def seg(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + bytes([1] * 64)
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    dht = (b"\x00" + bytes(DC_COUNTS) + bytes(DC_VALUES) +
           b"\x10" + bytes(AC_COUNTS) + bytes(AC_VALUES))
    sos = b"\x01\x01\x00\x00\x3f\x00"
    return (b"\xff\xd8" + seg(0xE0, app0) + seg(0xDB, dqt) + seg(0xC0, sof) +
            seg(0xC4, dht) + seg(0xDA, sos) + bytes(out) + b"\xff\xd9")


def pdf(title):
    """A one-page PDF showing @title, with a correct xref table."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = ("BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream +
            b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref))
    return bytes(out)


def mp4():
    """The first box of an MP4 file: enough for a type sniffer."""
    return struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00isomiso2"


# ---- the blog -----------------------------------------------------------

def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


TP_XID = "6a00d8341c5f3a53ef0120a5e8d9ec970b"

# asset id -> (element, file name, url under %r, mime, parent, bytes)
ASSETS = {
    12: ("image", "tea.jpg", "assets/tea.jpg", "image/jpeg", 0,
         jpeg(64, 48, 1)),
    13: ("image", "temple.jpg", "assets/temple.jpg", "image/jpeg", 0,
         jpeg(96, 64, 2)),
    14: ("file", "garden-map.pdf", "assets/garden-map.pdf", "application/pdf",
         0, pdf("Garden map")),
    15: ("image", "sunset.png", "assets/sunset.png", "image/png", 0,
         png(24, 16, 3)),
    # the same file under a second name: stored once
    16: ("image", "sunset-copy.png", "assets/sunset-copy.png", "image/png", 0,
         png(24, 16, 3)),
    # a thumbnail MT made, kept as a child asset of 12
    17: ("image", "tea-thumb-120x90-12.jpg",
         "assets_c/2009/04/tea-thumb-120x90-12.jpg", "image/jpeg", 12,
         jpeg(16, 16, 4)),
    # the pop-up page of 13 (a file asset, child of 13)
    18: ("file", "temple-13.html", "assets_c/2009/04/temple-13.html",
         "text/html", 13,
         b"<html><body><img src=\"http://example.com/blog/assets/temple.jpg\""
         b" width=\"96\" height=\"64\"></body></html>\n"),
    19: ("image", "logo.gif", "assets/logo.gif", "image/gif", 0,
         gif(12, 9, 5)),
    20: ("video", "clip.mp4", "assets/clip.mp4", "video/mp4", 0, mp4()),
    # a name with a space and an accent, as MT keeps it
    21: ("image", "café menu.png", "assets/caf%C3%A9%20menu.png", "image/png",
         0, png(8, 8, 6)),
}

ENTRIES = [
    # id, basename, date, title, fileinfo url, category, body
    (101, "hello_kyoto", "20090412153000", "Hello Kyoto",
     "/blog/2009/04/hello-kyoto.html", 3,
     '<p>Temples and tea.</p>\n'
     '<form mt:asset-id="12" class="mt-enclosure mt-enclosure-image" '
     'style="display: inline;"><a href="http://example.com/blog/assets/tea.jpg">'
     '<img alt="tea" src="http://example.com/blog/assets_c/2009/04/'
     'tea-thumb-120x90-12.jpg" width="120" height="90" class="mt-image-left" '
     'style="float: left; margin: 0 20px 20px 0;" /></a></form>\n'
     '<p>The garden map is <a href="/blog/assets/garden-map.pdf">a PDF</a>.'
     '</p>\n'
     '<form mt:asset-id="13" class="mt-enclosure mt-enclosure-image" '
     'style="display: inline;"><a href="http://example.com/blog/assets_c/'
     '2009/04/temple-13.html" onclick="window.open(\'http://example.com/blog/'
     'assets_c/2009/04/temple-13.html\',\'popup\',\'width=96,height=65,'
     'scrollbars=no,resizable=no,toolbar=no,directories=no,location=no,'
     'menubar=no,status=no,left=0,top=0\'); return false"><img src="http://'
     'example.com/blog/assets_c/2009/04/temple-thumb-100x75-13.jpg" '
     'width="100" height="75" alt="temple" class="mt-image-none" /></a>'
     '</form>\n'
     '<p>Next: <a href="http://www.example.com/blog/2009/05/soup-notes.html'
     '#ingredients">soup notes</a>.</p>\n'),
    (102, "soup_notes", "20090501090000", "Soup notes",
     "/blog/2009/05/soup-notes.html", 6,
     '<p id="ingredients">Back to '
     '<a href="https://example.com/blog/2009/04/hello-kyoto.php">Kyoto '
     '(php)</a>, <a href="../04/hello-kyoto.html">Kyoto (relative)</a>, '
     '<a href="/blog/2009/04/hello-kyoto/">Kyoto (folder)</a>, '
     '<a href="http://example.com/blog/2009/04/hello%2Dkyoto.shtml">Kyoto '
     '(encoded)</a>, <a href="http://EXAMPLE.com:80/blog/2009/04/'
     'hello-kyoto.htm">Kyoto (htm)</a>, <a href="/blog/2009/04/hello-kyoto/'
     'index.html#top">Kyoto (index)</a>.</p>\n'
     '<p><img src="/blog/assets/sunset.png" srcset="/blog/assets/sunset.png'
     ' 1x, /blog/assets/sunset-copy.png 2x" alt="sunset"></p>\n'
     '<p><img src=/blog/assets/logo.gif alt=logo> and '
     '<img src=\'/blog/assets/caf%C3%A9%20menu.png\' alt="menu"></p>\n'),
    (103, "archive_links", "20090601100000", "Archive links",
     "/blog/2009/06/archive-links.html", 3,
     '<ul><li><a href="/blog/travel/">Travel</a></li>'
     '<li><a href="/blog/2009/04/">April 2009</a></li>'
     '<li><a href="http://example.com/blog/archives/2009_04.html">April '
     '(MT 3)</a></li>'
     '<li><a href="/blog/atom.xml">Feed</a></li>'
     '<li><a href="/blog/mt-search.cgi?tag=kyoto&amp;blog_id=1">kyoto</a>'
     '</li>'
     '<li><a href="/cgi-bin/mt/mt-comments.cgi?entry_id=101">comments</a>'
     '</li>'
     '<li><a href="/blog/">Home</a></li></ul>\n'
     '<p><img src="http://example.com/blog/images/banner.gif" alt="banner">'
     ' <a href="http://example.com/blog/files/notes.txt">notes</a>'
     ' <a href="http://other.example.org/photo.jpg">a friend\'s photo</a>'
     '</p>\n'
     '<!-- <img src="/blog/assets/hidden.png"> -->\n'),
    (104, "from_typepad", "20090701100000", "From TypePad",
     "/blog/2009/07/from-typepad.html", 3,
     '<p><a href="http://example.typepad.com/.a/' + TP_XID + '-pi" '
     'style="display: inline;"><img class="asset  asset-image at-xid-' +
     TP_XID + '" alt="Lake" src="http://example.typepad.com/.a/' + TP_XID +
     '-320wi" /></a></p>\n'
     '<p><a href="http://example.typepad.com/.shared/image.html?/photos/'
     'uncategorized/lake.jpg" onclick="window.open(this.href, \'_blank\', '
     '\'width=640,height=480\'); return false">Lake, bigger</a></p>\n'
     '<p><img src="http://a1.typepad.com/' + TP_XID + '-120si" alt="thumb">'
     '</p>\n'),
    (105, "about", "20090801100000", "About",
     "/blog/about.html", 0,
     '<p><video src="/blog/assets/clip.mp4" poster="/blog/assets/logo.gif">'
     '</video> <audio src="/blog/assets/theme.mp3"></audio></p>\n'
     '<object data="/blog/assets/old.swf"><param name="movie" '
     'value="/blog/assets/old.swf"><param name="quality" value="high">'
     '</object>\n'
     '<p>&lt;img src="/blog/assets/not-a-tag.png"&gt; is text.</p>\n'),
]

MIRROR = {
    # a copy of the site folder, as FTP gives it
    "blog/images/banner.gif": gif(20, 6, 7),
    "blog/assets/tea.jpg": jpeg(64, 48, 1),
    # wget --mirror of TypePad: the original behind -320wi and -120si
    "example.typepad.com/.a/" + TP_XID + "-pi": jpeg(40, 40, 8),
    "example.typepad.com/photos/uncategorized/lake.jpg": jpeg(48, 32, 9),
    # a symlink out of the mirror is never followed (made below)
}


def blog_xml():
    parts = []
    head = ("<?xml version='1.0'?>\n<movabletype xmlns='http://www.sixapart.com"
            "/ns/movabletype' backup_what='1' backup_by='admin(ID: 1)' "
            "schema_version='6.0008' backup_on='2014-11-14T12:13:53'>\n")
    one = [
        "<blog id='1' archive_type='Individual,Page,Category,Monthly' "
        "archive_type_preferred='Individual' archive_url='%s' "
        "convert_paras='0' file_extension='html' language='en_US' "
        "name='Garden &amp; Kitchen Notes' server_offset='9' "
        "site_path='/var/www/blog' site_url='%s'></blog>" % (SITE, SITE),
        "<author id='1' basename='ada' email='ada@example.com' name='ada' "
        "nickname='Ada Example' status='1' type='1'></author>",
        "<category id='3' author_id='1' basename='travel' blog_id='1' "
        "class='category' label='Travel' parent='0'></category>",
        "<category id='6' author_id='1' basename='cooking' blog_id='1' "
        "class='category' label='Cooking' parent='0'></category>",
        # a tag, so an old tag search has a page to lead to
        "<tag id='1' is_private='0' n8d_id='0' name='kyoto'></tag>",
    ]
    two = []
    for eid, base, date, title, url, cat, body in ENTRIES:
        cls = "page" if base == "about" else "entry"
        rec = ("<%s id='%d' allow_comments='1' allow_pings='0' author_id='1' "
               "authored_on='%s' basename='%s' blog_id='1' class='%s' "
               "convert_breaks='0' created_on='%s' modified_on='%s' "
               "status='2' title='%s'><text>%s</text></%s>"
               % (cls, eid, date, base, cls, date, date, esc(title), esc(body),
                  cls))
        (one if eid < 104 else two).append(rec)
    for aid in sorted(ASSETS):
        el, fname, url, mime, parent, data = ASSETS[aid]
        ext = fname.rsplit(".", 1)[1]
        attrs = ("id='%d' blog_id='1' class='%s' created_by='1' "
                 "file_ext='%s' file_name='%s' file_path='%%r/%s' "
                 "mime_type='%s'" % (aid, el, ext, esc(fname), esc(url), mime))
        if parent:
            attrs += " parent='%d'" % parent
        two.append("<%s %s><url>%%r/%s</url></%s>" % (el, attrs, esc(url), el))
    for eid, base, date, title, url, cat, body in ENTRIES:
        arch = "Page" if base == "about" else "Individual"
        two.append("<fileinfo id='%d' archive_type='%s' blog_id='1' "
                   "entry_id='%d' url='%s'><file_path>/var/www%s</file_path>"
                   "</fileinfo>" % (eid, arch, eid, url, url))
        if cat:
            two.append("<placement id='%d' blog_id='1' category_id='%d' "
                       "entry_id='%d' is_primary='1'></placement>"
                       % (eid, cat, eid))
    two.append("<objecttag id='1' blog_id='1' object_datasource='entry' "
               "object_id='101' tag_id='1'></objecttag>")
    links = [(101, 12), (101, 13), (101, 14), (102, 15), (102, 16), (102, 19),
             (102, 21), (105, 20), (105, 19)]
    for i, (eid, aid) in enumerate(links, 1):
        two.append("<objectasset id='%d' asset_id='%d' blog_id='1' "
                   "embedded='0' object_ds='entry' object_id='%d'>"
                   "</objectasset>" % (i, aid, eid))
    for body in (one, two):
        parts.append((head + "\n".join(body) + "\n</movabletype>").encode())
    return parts


def manifest(part_names):
    lines = ["<manifest xmlns='http://www.sixapart.com/ns/movabletype'>"]
    for p in part_names:
        lines.append("<file type='backup' name='%s' />" % p)
    for aid in sorted(ASSETS):
        lines.append("<file type='asset' name='%s' asset_id='%d' />"
                     % (esc(ASSETS[aid][1]), aid))
    lines.append("</manifest>")
    return ("\n".join(lines) + "\n").encode()


def members():
    """(name, bytes) in MT's order: XML parts, assets, manifest."""
    xml = blog_xml()
    names = ["%s-%d.xml" % (NAME, i) for i in range(1, len(xml) + 1)]
    out = list(zip(names, xml))
    for aid in sorted(ASSETS):
        out.append(("%d-%s" % (aid, ASSETS[aid][1]), ASSETS[aid][5]))
    out.append(("%s.manifest" % NAME, manifest(names)))
    return out


# ---- archives --------------------------------------------------------------

def tar_bytes(entries, compress):
    """entries: (name, data) or (name, TarInfo-adjusting function)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, *more in entries:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = "mt"
            info.mode = 0o644
            if more:
                more[0](info)
            payload = None
            if info.type in (tarfile.REGTYPE, tarfile.AREGTYPE):
                info.size = len(data)
                payload = io.BytesIO(data)
            t.addfile(info, payload)
    data = raw.getvalue()
    if not compress:
        return data
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9,
                       filename="") as g:
        g.write(data)
    return out.getvalue()


def zip_bytes(entries, encrypted=()):
    """A zip of entries; members named in @encrypted get the "encrypted"
    flag (bit 0) in both their headers, which zipfile cannot write."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIPTIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data)
        infos = z.infolist()
    data = bytearray(out.getvalue())
    for info in infos:
        if info.filename not in encrypted:
            continue
        off = info.header_offset  # the local header: flags at +6
        data[off + 6] |= 1
        raw = info.filename.encode("utf-8")
        cen = data.find(b"PK\x01\x02")
        while cen >= 0:  # its central directory record: flags at +8
            n = struct.unpack("<H", data[cen + 28:cen + 30])[0]
            if data[cen + 46:cen + 46 + n] == raw:
                data[cen + 8] |= 1
            cen = data.find(b"PK\x01\x02", cen + 4)
    return bytes(data)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def hostile(out):
    """Archives with one hostile member each, beside ordinary ones."""
    good = [("%s-1.xml" % NAME, blog_xml()[0]),
            ("12-tea.jpg", ASSETS[12][5])]
    h = os.path.join(out, "hostile")

    def sym(target):
        def f(info):
            info.type = tarfile.SYMTYPE
            info.linkname = target
        return f

    def hard(target):
        def f(info):
            info.type = tarfile.LNKTYPE
            info.linkname = target
        return f

    def fifo(info):
        info.type = tarfile.FIFOTYPE

    def chardev(info):
        info.type = tarfile.CHRTYPE
        info.devmajor, info.devminor = 1, 3

    def t(name, extra, compress=False):
        ents = [(n, d) for n, d in good] + extra
        write(os.path.join(h, name), tar_bytes(ents, compress))
    t("slip.tar", [("../evil.txt", b"climbed out\n")])
    t("slip-deep.tar.gz", [("assets/../../evil.txt", b"climbed out\n")], True)
    t("absolute.tar", [("/tmp/mtport-evil.txt", b"absolute\n")])
    t("symlink.tar", [("13-link.jpg", b"", sym("/etc/passwd"))])
    t("hardlink.tar", [("13-hard.jpg", b"", hard("12-tea.jpg"))])
    t("fifo.tar", [("13-pipe.jpg", b"", fifo)])
    t("chardev.tar", [("13-null.jpg", b"", chardev)])
    t("duplicate.tar", [("12-tea.jpg", b"second copy\n")])
    t("device.tar", [("CON.xml", b"<x/>"), ("assets/aux.jpg", b"x")])
    # a name that is not UTF-8 (Latin-1 é): read, shown repaired
    raw = tar_bytes(good + [("13-caf\udce9.jpg", jpeg(8, 8, 10))], False)
    write(os.path.join(h, "latin1-name.tar"), raw)
    # cut in the middle of an asset that does not compress: past the
    # first blocks libarchive reads when it opens the archive
    noise = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(8192))
    whole = tar_bytes(good + [("13-temple.jpg", noise)], True)
    write(os.path.join(h, "truncated.tar.gz"), whole[:len(whole) * 2 // 3])
    whole = tar_bytes(good, False)
    write(os.path.join(h, "truncated-header.tar"), whole[:512 + 100])
    # 64 MiB of zeros: about 1000 times smaller compressed
    t("bomb.tar.gz", [("13-zeros.bmp", bytes(64 << 20))], True)
    write(os.path.join(h, "windows-slip.zip"),
          zip_bytes(good + [("..\\evil.txt", b"climbed out\n")]))
    write(os.path.join(h, "drive.zip"),
          zip_bytes(good + [("C:/evil.txt", b"drive\n")]))
    write(os.path.join(h, "duplicate.zip"),
          zip_bytes(good + [("12-tea.jpg", b"second copy\n")]))
    write(os.path.join(h, "encrypted.zip"),
          zip_bytes(good + [("13-secret.jpg", b"not really encrypted")],
                    encrypted={"13-secret.jpg"}))
    write(os.path.join(h, "not-an-archive.tar.gz"), b"this is not gzip\n" * 4)


def samples(out):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    ms = members()
    for name, data in ms:
        write(os.path.join(out, "backup", name), data)
    write(os.path.join(out, "backup.tar.gz"), tar_bytes(ms, True))
    write(os.path.join(out, "backup.tgz"), tar_bytes(ms, True))
    write(os.path.join(out, "backup.zip"), zip_bytes(ms))
    write(os.path.join(out, "backup-sorted.zip"), zip_bytes(sorted(ms)))
    for rel, data in sorted(MIRROR.items()):
        write(os.path.join(out, "mirror", rel), data)
    os.symlink("/etc/passwd", os.path.join(out, "mirror", "blog", "assets",
                                           "passwd.jpg"))
    os.makedirs(os.path.join(out, "mirror", "blog", "2009", "04"))
    write(os.path.join(out, "mirror", "blog", "2009", "04", "index.html"),
          b"<html>April</html>\n")
    write(os.path.join(out, "mirror", "blog", "search.php?q=x"), b"wget\n")
    hostile(out)
    rows = ["asset_id\tmember\tsha256\tbytes\turl"]
    for aid in sorted(ASSETS):
        el, fname, url, mime, parent, data = ASSETS[aid]
        rows.append("%d\t%d-%s\t%s\t%d\t%s%s" % (
            aid, aid, fname, hashlib.sha256(data).hexdigest(), len(data),
            SITE, url))
    write(os.path.join(out, "MANIFEST.tsv"), ("\n".join(rows) + "\n").encode())


# ---- the benchmark backup ---------------------------------------------------

def bench(out, posts, assets):
    """POSTS entries sharing ASSETS distinct images (PNG, JPEG, GIF in
    turn, 4 to 56 KB: a small image and bytes that do not compress after
    it), as one tar.gz in MT's order, streamed to disk."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "bench-%d-%d.tar.gz" % (posts, assets))
    head = ("<?xml version='1.0'?>\n<movabletype xmlns='http://www.sixapart."
            "com/ns/movabletype' backup_what='1' schema_version='6.0008'>\n"
            "<blog id='1' name='Bench' site_url='%s' archive_url='%s' "
            "file_extension='html'></blog>\n" % (SITE, SITE))
    kinds = [("png", "image/png"), ("jpg", "image/jpeg"), ("gif", "image/gif")]

    def url(a):
        return "%sassets/a%05d.%s" % (SITE, a, kinds[a % 3][0])
    xml = io.StringIO()
    xml.write(head)
    for p in range(posts):
        # a link to a full-size image around its thumbnail, twice
        refs = "".join(
            '<p><a href="%s"><img src="%s"></a></p>'
            % (url((p * 2 + k) % assets), url((p * 2 + k + 1) % assets))
            for k in range(2))
        xml.write("<entry id='%d' blog_id='1' basename='post_%d' status='2' "
                  "class='entry' title='Post %d' authored_on='20100101000000'>"
                  "<text>%s</text></entry>\n" % (p + 1, p, p, esc(refs)))
    for a in range(assets):
        ext, mime = kinds[a % 3]
        xml.write("<image id='%d' blog_id='1' class='image' file_name='a%05d."
                  "%s' mime_type='%s'><url>%%r/assets/a%05d.%s</url></image>\n"
                  % (a + 1, a, ext, mime, a, ext))
    xml.write("</movabletype>\n")
    xml_bytes = xml.getvalue().encode()
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=6,
                           filename="") as g:
            with tarfile.open(fileobj=g, mode="w|",
                              format=tarfile.PAX_FORMAT) as t:
                def add(name, data):
                    info = tarfile.TarInfo(name)
                    info.mtime = MTIME
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
                add("%s-1.xml" % NAME, xml_bytes)
                noise = random.Random(posts * 100003 + assets)
                for a in range(assets):
                    ext = kinds[a % 3][0]
                    side = 8 + a % 48
                    data = (png(side, side, a) if ext == "png" else
                            jpeg(side * 2, side, a) if ext == "jpg" else
                            gif(side, side, a))
                    # camera metadata's worth of bytes (4 to 44 KB, as
                    # compressed photos are: incompressible), which also
                    # makes every file a content of its own
                    add("%d-a%05d.%s" % (a + 1, a, ext),
                        data + noise.randbytes(4096 + (a * 7919) % 40960))
                add("%s.manifest" % NAME, b"<manifest xmlns='http://www."
                    b"sixapart.com/ns/movabletype'><file type='backup' "
                    b"name='%s-1.xml' /></manifest>\n" % NAME.encode())
    print(path)


def main(argv):
    if len(argv) == 5 and argv[1] == "--bench":
        bench(argv[2], int(argv[3]), int(argv[4]))
        return 0
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    samples(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
