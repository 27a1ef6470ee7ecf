"""What a reader sees in a piece of HTML, reduced to comparable features,
and the comparison of two such reductions (the source as Movable Type
rendered it, and a post page built by Hugo or Jekyll).

Both sides are parsed with libxml2's HTML parser (through lxml), the parser
mtport's converter uses, so malformed source HTML is read the same way the
converter read it. Then each side is walked once into a stream of text runs
(with bold, italic, monospace and code-block flags and the link they sit
in), line breaks and block edges, from which every feature is taken:

  text       the visible text, white space collapsed (U+00A0 as a space)
  linebreak  where <br> falls in that text (breaks at a block's edge show
             nothing in a browser and are not counted)
  strong/em  the runs of bold / italic text (<b> <strong> / <i> <em>)
  link       (href, text) of each link, hrefs resolved against the page's
             URL (fragments stay) and percent-decoded
  image      (src, alt) of each image
  code       inline code runs (<code>, <tt>, <kbd>, <samp> and text in a
             monospace font), and the lines of code blocks (<pre>, and block
             elements whose text is all in a monospace font) with their
             indentation; the language of a block when the source gives one
  heading    (level, text)
  list       (ul/ol, item texts)
  table      the cell texts, row by row

The same rules apply to both sides before comparing:
  - what mtport removes as tracking junk is removed from both (scripts,
    styles, <noscript>, <template>, FeedBurner/Zemanta pixels and flare,
    1x1 images: the rules of mtport_md__is_junk in html2md_dom.c);
  - emphasis inside a code block is not compared (a code block shows text
    only);
  - a link without visible text or image, and a heading without text, show
    nothing and are not compared;
  - an inline element holding a block (<strong><p>..</p></strong>) has
    block edges, as a browser lays it out.
"""
import difflib
import re
import urllib.parse

from lxml import etree

# --------------------------------------------------------------------------
# Element tables

BLOCKS = frozenset("""address article aside blockquote body center dd details
dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1
h2 h3 h4 h5 h6 head header hgroup hr html li main menu nav ol p pre section
table tbody td tfoot th thead tr ul caption legend summary xmp listing
plaintext noframes title""".split())
REMOVED = frozenset("script style noscript template meta link base".split())
PRE = frozenset("pre xmp listing plaintext".split())
MONO_TAGS = frozenset("code tt kbd samp".split())
BOLD = frozenset("b strong".split())
ITALIC = frozenset("i em".split())
# A monospace block (shown as a code block: html2md_dom.c's
# mtport_md__mono_block) is one of these plain boxes whose visible text is
# all monospace, some of it from a font, holding nothing but text, breaks,
# these boxes and phrasing elements (a link, image, list... keeps it out).
MONO_BLOCK_TAGS = frozenset("""address article aside center div footer
header main nav p section""".split())
CODE_OK = MONO_BLOCK_TAGS | REMOVED | frozenset("""br b strong i em del s
strike code tt span font label abbr acronym big cite dfn ins kbd mark q
samp small sub sup u var""".split())
KNOWN = BLOCKS | CODE_OK | frozenset("""a img iframe embed object video audio
input select textarea button canvas svg math picture source map area
applet form""".split())

# Font families that are monospace (first family of font-family or face).
MONO_FAMILIES = frozenset("""courier|courier new|consolas|monaco|menlo|
lucida console|lucida sans typewriter|monospace|andale mono|dejavu sans mono|
liberation mono|source code pro|inconsolata|fira code|fira mono|roboto mono|
ubuntu mono|droid sans mono|sf mono|cascadia code|cascadia mono|
bitstream vera sans mono|fixedsys|courier-new""".replace("\n", "").split("|"))

B, I, M, P = 1, 2, 4, 8  # bold, italic, monospace, in a code block

_WS = re.compile(r"[ \t\n\r\f]+")


def _class_has(el, prefix):
    return any(t.startswith(prefix) for t in (el.get("class") or "").split())


def _url_has(v, needle):
    return needle in v.replace("\t", "").replace("\n", "").replace("\r", "")


def _one_px(v):
    if v is None:
        return False
    v = v.lstrip(" ")
    return len(v) >= 1 and v[0] in "01" and (v[1:] == "" or v[1:] == "px")


def is_junk(el):
    """mtport_md__is_junk: tracking pixels and feed flare."""
    if not el.attrib:
        return False
    cls = el.get("class")
    if cls and ("zemanta" in cls or "feedflare" in cls) and (
            _class_has(el, "zemanta-pixie") or _class_has(el, "zemanta-related")
            or _class_has(el, "feedflare")):
        return True
    if el.tag == "img":
        src = el.get("src")
        if src and any(_url_has(src, n) for n in (
                "zemanta.com/pixy", "feeds.feedburner.com/~r/",
                "feeds.feedburner.com/~ff/", "feedads.g.doubleclick.net")):
            return True
        if _one_px(el.get("width")) and _one_px(el.get("height")):
            return True
    elif el.tag == "a":
        href = el.get("href")
        if href and (_url_has(href, "feeds.feedburner.com/~ff/")
                     or _url_has(href, "feedads.g.doubleclick.net")):
            return True
    return False


def _first_family(v):
    v = v.split(",")[0].strip().strip("'\"").strip().lower()
    return _WS.sub(" ", v)


def font_mono(el):
    """True/False when the element sets a font family, else None."""
    fam = None
    style = el.get("style")
    if style:
        for decl in style.split(";"):
            k, _, v = decl.partition(":")
            if k.strip().lower() == "font-family":
                fam = _first_family(v.split("!")[0]) or fam
    if fam is None and el.tag == "font" and el.get("face") is not None:
        fam = _first_family(el.get("face")) or None
    if not fam:
        return None
    return fam in MONO_FAMILIES


# The converter's language aliases (S_alias in html2md.c).
LANG_ALIAS = {
    "as3": "actionscript3", "c#": "csharp", "c-sharp": "csharp",
    "cf": "coldfusion", "erl": "erlang", "jfx": "javafx", "js": "javascript",
    "jscript": "javascript", "pas": "pascal", "patch": "diff", "pl": "perl",
    "plain": "text", "ps": "powershell", "py": "python", "rails": "ruby",
    "rb": "ruby", "ror": "ruby", "shell": "bash", "vb": "vbnet",
    "xhtml": "xml", "xslt": "xml", "sh": "bash", "objc": "objectivec",
}


def _lang_norm(lang):
    if not lang:
        return None
    lang = lang.lower()
    return LANG_ALIAS.get(lang, lang)


_LANGCH = re.compile(r"^[A-Za-z0-9_+#.\-]+$")


def lang_of_class(cls):
    """language-x, lang-x or SyntaxHighlighter's "brush: x"."""
    if not cls:
        return None
    m = re.search(r"brush:\s*([A-Za-z0-9_+#.\-]+)", cls)
    if m:
        return _lang_norm(m.group(1))
    for tok in cls.split():
        for pre in ("language-", "lang-"):
            if tok.startswith(pre) and _LANGCH.match(tok[len(pre):]):
                return _lang_norm(tok[len(pre):])
    return None


# --------------------------------------------------------------------------
# Parsing and the walk

_PARSER = etree.HTMLParser(encoding="utf-8", recover=True, no_network=True,
                           remove_comments=True, remove_pis=True)


def parse(html):
    data = html.encode("utf-8") if isinstance(html, str) else html
    if not data.strip():
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


class Region:
    """A code block: a <pre>, or a block in a monospace font."""
    __slots__ = ("kind", "lang", "parts")

    def __init__(self, kind, lang):
        self.kind, self.lang, self.parts = kind, lang, []


class Features:
    def __init__(self):
        self.toks = []  # (kind, text, flags, link) kind: t, br, blk
        self.links = []  # [href, element has image]
        self.images = []
        self.headings = []
        self.lists = []
        self.tables = []
        self.regions = []
        self.hidden = set()


def _elements(root):
    """Pre-order list of the elements to walk (comments dropped)."""
    out, stack = [], [root]
    while stack:
        el = stack.pop()
        out.append(el)
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
    return out


def _mono_blocks(root, hidden, mono_of, font_of):
    """Elements that are monospace blocks, outermost only."""
    # Post-order: (mono, font mono, other) visible characters and whether
    # something no code block holds is inside, per element.
    info = {}
    order = _elements(root)
    for el in reversed(order):
        if el in hidden:
            info[el] = (0, 0, 0, False)
            continue
        mono = font = other = 0
        bad = False

        def add(text):
            nonlocal mono, font, other
            n = _visible_len(text)
            if mono_of[el]:
                mono += n
                font += n if font_of[el] else 0
            else:
                other += n
        add(el.text)
        for c in el:
            if isinstance(c.tag, str):
                cm, cf, co, cb = info.get(c, (0, 0, 0, False))
                mono, font, other = mono + cm, font + cf, other + co
                ok = c.tag in CODE_OK or (c.tag == "a" and
                                          c.get("href") is None) or \
                    c.tag not in KNOWN
                bad = bad or cb or (c not in hidden and not ok)
            add(c.tail)
        info[el] = (mono, font, other, bad)
    out = set()
    for el in order:
        if el in hidden or el.tag not in MONO_BLOCK_TAGS:
            continue
        m, fo, o, bad = info[el]
        if fo and not o and not bad and \
                not any(a in out for a in el.iterancestors()):
            out.add(el)
    return out


def _visible_len(s):
    if not s:
        return 0
    return len(_WS.sub("", s).replace("\u00a0", ""))


def extract(html):
    f = Features()
    root = parse(html)
    if root is None:
        return f
    order = _elements(root)
    # Top-down: hidden subtrees and the monospace flag of each element.
    hidden, mono_of, font_of = set(), {}, {}
    for el in order:
        par = el.getparent()
        if par is not None and par in hidden or el.tag in REMOVED or \
                is_junk(el):
            hidden.add(el)
        fm = font_mono(el)
        if el.tag in MONO_TAGS or el.tag in PRE:
            mono_of[el], font_of[el] = True, False
        elif fm is not None:
            mono_of[el] = font_of[el] = fm
        elif par is not None:
            mono_of[el], font_of[el] = mono_of[par], font_of[par]
        else:
            mono_of[el] = font_of[el] = False
    blocks = _mono_blocks(root, hidden, mono_of, font_of)
    f.hidden = hidden
    # An inline element holding a block (<strong><p>...</p></strong>) is
    # laid out as blocks around it: its edges are block edges.
    boxy = set()
    for el in reversed(order):
        if el not in hidden and el.tag in BLOCKS:
            for a in el.iterancestors():
                if a in boxy or a.tag in BLOCKS:
                    break
                boxy.add(a)

    toks = f.toks
    # Explicit stack of actions, so deep nesting cannot recurse: ("in", el,
    # state), ("out", el, state), ("text", str, state); a state is (flags,
    # link, region).
    stack = [("in", root, (0, None, None))]
    while stack:
        act, x, st = stack.pop()
        flags, link, region = st
        if act == "text":
            if region is not None:
                # a monospace block's lines come from breaks and boxes only
                region.parts.append(x if region.kind == "pre" else
                                    _WS.sub(" ", x))
            toks.append(("t", x, flags, link))
            continue
        if act == "out":
            if x.tag in BLOCKS or x in boxy:
                toks.append(("blk", "", flags, link))
                if region is not None and region.kind == "mono":
                    region.parts.append("\n")
            continue
        el = x
        if el.tail and el is not root:
            stack.append(("text", el.tail, st))
        if el in hidden:
            continue
        tag = el.tag
        nflags, nlink, nregion = flags, link, region
        if tag in BOLD:
            nflags |= B
        if tag in ITALIC:
            nflags |= I
        if mono_of[el]:
            nflags |= M
        else:
            nflags &= ~M
        if region is None and (tag in PRE or el in blocks):
            nregion = Region("pre" if tag in PRE else "mono",
                             _block_lang(el) if tag in PRE else None)
            f.regions.append(nregion)
            nflags |= P
        if tag == "a" and el.get("href") is not None and link is None:
            nlink = len(f.links)
            f.links.append([el.get("href"), False])
        if tag in BLOCKS or el in boxy:
            toks.append(("blk", "", flags, link))
            if region is not None and region.kind == "mono":
                region.parts.append("\n")
        nst = (nflags, nlink, nregion)
        if tag == "br":
            toks.append(("br", "", nflags, nlink))
            if nregion is not None:
                nregion.parts.append("\n")
            continue
        if tag == "img":
            f.images.append((el.get("src") or "", el.get("alt") or ""))
            if nlink is not None:
                f.links[nlink][1] = True
            continue
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            f.headings.append((int(tag[1]), el))
        elif tag in ("ul", "ol"):
            f.lists.append((tag, el))
        elif tag == "table":
            f.tables.append(el)
        stack.append(("out", el, st))
        for c in reversed([c for c in el if isinstance(c.tag, str)]):
            stack.append(("in", c, nst))
        text = el.text
        if text and tag in PRE and text.startswith("\n"):
            text = text[1:]  # HTML drops the newline after <pre>
        if text:
            stack.append(("text", text, nst))
    return f


def _block_lang(pre):
    """A code block's language: on the <pre>, its <code>, or a box around
    it (Jekyll's <div class="language-x highlighter-rouge">)."""
    lang = lang_of_class(pre.get("class"))
    if not lang:
        for c in pre:
            if isinstance(c.tag, str) and c.tag == "code":
                lang = lang_of_class(c.get("class")) or \
                    _lang_norm(c.get("data-lang"))
                break
    anc = pre.getparent()
    while not lang and anc is not None and anc.tag == "div":
        lang = lang_of_class(anc.get("class"))
        anc = anc.getparent()
    return lang


# --------------------------------------------------------------------------
# Features from the walk

def norm(s):
    """White space collapsed, U+00A0 as a space, trimmed."""
    return _WS.sub(" ", s.replace("\u00a0", " ")).strip()


def el_text(el, hidden):
    """The visible text of an element (blocks and breaks as spaces)."""
    out, stack = [], [el]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            out.append(x)
            continue
        if x in hidden:
            if x is not el and x.tail:
                out.append(x.tail)
            continue
        if x is not el and x.tail:
            stack.append(x.tail)
        if x.tag in BLOCKS or x.tag == "br":
            stack.append(" ")
        for c in reversed([c for c in x if isinstance(c.tag, str)]):
            stack.append(c)
        if x.text:
            stack.append(x.text)
        if x.tag in BLOCKS or x.tag == "br":
            out.append(" ")
    return norm("".join(out))


def visible_text(f):
    return norm("".join(t[1] if t[0] == "t" else " " for t in f.toks))


def break_text(f):
    """The text with <br> as "\\n", each block edge as one separator, and
    breaks next to an edge (or at either end) dropped: a browser shows
    nothing for them."""
    s = "".join(t[1] if t[0] == "t" else " " if t[2] & P else
                "\x01" if t[0] == "br" else "\x00" for t in f.toks)
    s = _WS.sub(" ", s.replace("\u00a0", " "))
    s = re.sub(r"[ \x01]*\x00[ \x01\x00]*", "\x00", s)
    s = s.strip(" \x01\x00")
    s = re.sub(r" ?\x01 ?", "\n", s)
    return s.replace("\x00", " ")


def runs(f, flag):
    """Texts of the runs of characters carrying @flag, outside code blocks:
    a run ends at visible text without the flag (white space between two
    runs joins them)."""
    out, cur = [], []
    for kind, text, flags, _ in f.toks:
        if kind != "t":
            cur.append(" ")
            continue
        if flags & flag and not flags & P:
            cur.append(text)
        elif _visible_len(text):
            if norm("".join(cur)):
                out.append(norm("".join(cur)))
            cur = []
        else:
            cur.append(text)
    if norm("".join(cur)):
        out.append(norm("".join(cur)))
    return out


def links(f, base=None):
    texts = {}
    for kind, text, _, link in f.toks:
        if link is not None:
            texts.setdefault(link, []).append(text if kind == "t" else " ")
    out = []
    for i, (href, has_img) in enumerate(f.links):
        t = norm("".join(texts.get(i, [])))
        if t or has_img:
            out.append((url_norm(href, base), t))
    return out


def url_norm(u, base=None):
    """A URL as a browser follows it: cleaned, resolved against @base
    (the page's URL; "#name" stays in the page), percent-decoded."""
    u = u.strip(" \t\n\r\f").replace("\t", "").replace("\n", "") \
        .replace("\r", "")
    # an absolute URL stays as written: urljoin() would drop an empty
    # query ("page.html?"), which the browser keeps
    if base and u and not u.startswith("#") and \
            not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", u):
        try:
            u = urllib.parse.urljoin(base, u)
        except ValueError:  # "http://[server]/": kept as it is
            pass
    return urllib.parse.unquote(u)


def images(f, base=None):
    return [(url_norm(s, base), norm(a)) for s, a in f.images]


def code_lines(f):
    """(language, line) of every non-blank line of every code block.
    <pre> lines are exact; a monospace block's lines are what a browser
    shows: runs of white space collapsed, none at a line's start, each
    U+00A0 a space. Trailing white space is dropped from every line."""
    out = []
    for r in f.regions:
        text = "".join(r.parts).replace("\r\n", "\n").replace("\r", "\n")
        for line in text.split("\n"):
            if r.kind == "mono":
                line = _WS.sub(" ", line).lstrip(" ")
            line = line.replace("\u00a0", " ").rstrip()
            if line:
                out.append((r.lang, line))
    return out


def summary(f, base=None):
    """The features of @f; relative URLs resolve against @base."""
    return {
        "text": visible_text(f),
        "linebreak": break_text(f),
        "strong": runs(f, B),
        "em": runs(f, I),
        "code": runs(f, M),
        "codeblock": code_lines(f),
        "link": links(f, base),
        "image": images(f, base),
        # an empty heading shows nothing (the converter drops it)
        "heading": [(lv, t) for lv, t in ((lv, el_text(el, f.hidden))
                                          for lv, el in f.headings) if t],
        "list": [(tag, tuple(el_text(li, f.hidden) for li in el
                             if isinstance(li.tag, str) and li.tag == "li"))
                 for tag, el in f.lists],
        "table": [_table_cells(t, f.hidden) for t in f.tables],
    }


def _table_cells(table, hidden):
    rows = []
    for tr in table.iter("tr"):
        anc = tr.getparent()
        while anc is not None and anc.tag != "table":
            anc = anc.getparent()
        if anc is not table:
            continue
        rows.append(tuple(el_text(c, hidden) for c in tr
                          if isinstance(c.tag, str) and c.tag in ("td", "th")))
    return tuple(rows)


def links_differ(a, b):
    """Whether two renderings of a body link or show different URLs."""
    fa, fb = extract(a), extract(b)
    return links(fa) != links(fb) or images(fa) != images(fb)


def mono_chars(f):
    """The monospace text (inline code and code blocks), without white
    space: what the monospace-loss figure counts."""
    return "".join(_WS.sub("", t[1]).replace("\u00a0", "")
                   for t in f.toks if t[0] == "t" and t[2] & (M | P))


def lost(src, page):
    """How many characters of @src the page does not show in monospace."""
    if src == page or not src:
        return 0
    sm = difflib.SequenceMatcher(None, src, page, autojunk=False)
    return len(src) - sum(b.size for b in sm.get_matching_blocks())


# --------------------------------------------------------------------------
# Comparison

def _clip(s, n=70):
    s = str(s)
    return s if len(s) <= n else s[:n - 1] + "\u2026"


def _first_diff(a, b):
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    lo = max(0, i - 25)
    return ("at \"%s\": source \"%s\" vs page \"%s\"" %
            (_clip(a[lo:i], 30), _clip(a[i:i + 40], 45),
             _clip(b[i:i + 40], 45))).replace("\n", "\\n")


def _show(kind, x):
    if kind == "codeblock":
        return "%s%s" % ("[%s] " % x[0] if x[0] else "", x[1])
    if kind in ("link", "image"):
        u = x[0] if len(x[0]) <= 50 else x[0][:20] + "\u2026" + x[0][-29:]
        return "%r -> %s" % (_clip(x[1], 40), u)
    return x


def compare(src, page, limit=4):
    """Divergences between two summaries: a list of (kind, detail)."""
    out = []
    if src["text"] != page["text"]:
        out.append(("text", _first_diff(src["text"], page["text"])))
    elif src["linebreak"] != page["linebreak"]:
        out.append(("linebreak",
                    _first_diff(src["linebreak"], page["linebreak"])))
    for kind in ("strong", "em", "code", "codeblock", "link", "image",
                 "heading", "list", "table"):
        a, b = src[kind], page[kind]
        if kind == "codeblock":
            ta, tb = [x[1] for x in a], [x[1] for x in b]
        else:
            ta, tb = a, b
        if ta == tb:
            if kind == "codeblock":
                for x, y in zip(a, b):
                    if x[0] and x[0] != y[0]:
                        out.append(("codeblock", "language %s, page %s" %
                                    (x[0], y[0] or "none")))
                        break
            continue
        sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
        n = 0
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            n += 1
            if n > limit:
                continue
            sa = "; ".join(_clip(_show(kind, x), 90) for x in a[i1:i2][:3])
            sb = "; ".join(_clip(_show(kind, x), 90) for x in b[j1:j2][:3])
            if op == "delete":
                d = "missing on the page: %s" % sa
            elif op == "insert":
                d = "only on the page: %s" % sb
            else:
                d = "source %s vs page %s" % (sa, sb)
            out.append((kind, d.replace("\n", "\\n")))
        if n > limit:
            out.append((kind, "... %d more" % (n - limit)))
    return out
