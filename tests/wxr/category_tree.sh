#!/usr/bin/env bash
# Category trees in WXR: a category's ancestors are declared although no
# post is in them, each with its parent, parents before children; the
# backup's order (children with lower ids) does not matter; a loop of
# parents ends with a warning; a category of no post and no descendant in
# use is not declared.
# usage: category_tree.sh MTPORT
set -uo pipefail
exe=$1
py=/usr/bin/python3
[ -x $py ] || { echo "no $py"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A (id 30) > B (id 20) > C (id 10), an unused D (id 40) under A, and a
# loop X (id 50) <-> Y (id 60). Entry 1 is only in C, entry 2 only in X.
cat >"$tmp/tree.xml" <<'XML'
<?xml version='1.0' encoding='UTF-8'?>
<movabletype xmlns='http://www.sixapart.com/ns/movabletype' schema_version='4.0070'>
<blog id='1' name='Tree' site_url='http://example.com/' server_offset='0'/>
<author id='1' name='ann' nickname='Ann'/>
<category id='10' blog_id='1' basename='c_leaf' label='C Leaf' parent='20'/>
<category id='20' blog_id='1' basename='b_mid' label='B Mid' parent='30'/>
<category id='30' blog_id='1' basename='a_top' label='A Top' parent='0'/>
<category id='40' blog_id='1' basename='d_unused' label='D Unused' parent='30'/>
<category id='50' blog_id='1' basename='x' label='X' parent='60'/>
<category id='60' blog_id='1' basename='y' label='Y' parent='50'/>
<entry id='1' blog_id='1' author_id='1' status='2' basename='one' title='One' authored_on='20100101120000'><text>in C</text></entry>
<entry id='2' blog_id='1' author_id='1' status='2' basename='two' title='Two' authored_on='20100102120000'><text>in X</text></entry>
<placement id='1' blog_id='1' entry_id='1' category_id='10' is_primary='1'/>
<placement id='2' blog_id='1' entry_id='2' category_id='50' is_primary='1'/>
</movabletype>
XML
"$exe" convert --to wxr -o "$tmp/out.xml" "$tmp/tree.xml" >/dev/null 2>"$tmp/err"
got=$?
[ $got -le 1 ] || fail "exit $got: $(cat "$tmp/err")"
if command -v xmllint >/dev/null; then
  xmllint --noout --nonet "$tmp/out.xml" || fail "not well-formed"
fi
grep -q "category-loop" "$tmp/err" || fail "no category-loop warning: $(cat "$tmp/err")"
$py - "$tmp/out.xml" <<'PY' || exit 1
import sys
import xml.etree.ElementTree as ET
WP = "{http://wordpress.org/export/1.2/}"
ch = ET.parse(sys.argv[1]).getroot().find("channel")
cats = [(c.findtext(WP + "category_nicename"), c.findtext(WP + "category_parent"),
         c.findtext(WP + "cat_name")) for c in ch.findall(WP + "category")]
print("declared:", cats)
err = []
def want(cond, msg):
    if not cond:
        err.append(msg)
by = {c[0]: c for c in cats}
want(len(by) == len(cats), "a nicename declared twice")
want(by.get("a-top") == ("a-top", "", "A Top"), "A is not declared top-level")
want(by.get("b-mid") == ("b-mid", "a-top", "B Mid"), "B is not declared under A")
want(by.get("c-leaf") == ("c-leaf", "b-mid", "C Leaf"), "C is not declared under B")
want("d-unused" not in by, "D, in no post and above none, is declared")
want({"x", "y"} <= set(by), "X or Y of the loop is missing")
want(sum(1 for c in cats if c[0] in ("x", "y") and c[1] == "") >= 1,
     "the loop is not broken: neither X nor Y is top-level")
# WordPress creates a category's parent first: parents precede children
seen = set()
for nice, parent, _ in cats:
    want(not parent or parent in seen, "%s comes before its parent %s" % (nice, parent))
    seen.add(nice)
# the post is only in its own category, not in the ancestors
items = {i.findtext("title"): sorted(c.get("nicename") for c in i.findall("category")
                                     if c.get("domain") == "category")
         for i in ch.findall("item")}
want(items.get("One") == ["c-leaf"], "post One is in %s, want [c-leaf]" % items.get("One"))
want(items.get("Two") == ["x"], "post Two is in %s, want [x]" % items.get("Two"))
for e in err:
    print("FAIL:", e)
sys.exit(1 if err else 0)
PY
# the same bytes twice
"$exe" convert --to wxr -o "$tmp/again.xml" "$tmp/tree.xml" >/dev/null 2>&1
cmp -s "$tmp/out.xml" "$tmp/again.xml" || fail "a rerun gave other bytes"
echo ok
