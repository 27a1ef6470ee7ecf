#!/usr/bin/env bash
# Slug and old-URL bookkeeping at scale (the spooled sets in
# exporters/site_common.c): 2,000 posts that all want "same", one dated
# earlier that wants "same-2", and 100 posts sharing one old URL.
# usage: dups.sh MTPORT WORKDIR
set -u
exe=$1 work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
feed=$work/dups.atom
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<feed xmlns="http://www.w3.org/2005/Atom"><title>Dups</title>'
  echo '<link rel="alternate" type="text/html" href="https://x.example/" />'
  echo '<id>tag:x.example,2001://1</id><updated>2001-01-01T00:00:00Z</updated>'
  entry() { # id title date [link]
    printf '<entry><title>%s</title><id>tag:x.example,2001://1.%s</id>' "$2" "$1"
    [ $# -gt 3 ] && printf '<link rel="alternate" type="text/html" href="%s" />' "$4"
    printf '<published>%s</published><updated>%s</updated>' "$3" "$3"
    printf '<content type="html">&lt;p&gt;Body %s&lt;/p&gt;</content></entry>\n' "$1"
  }
  for i in $(seq 1 2000); do
    entry "$i" Same "$(date -u -d "@$((978307200 + i * 60))" +%Y-%m-%dT%H:%M:%SZ)"
  done
  entry 2001 "Same 2" 1999-01-01T00:00:00Z
  for i in $(seq 2002 2101); do
    entry "$i" "Other $i" 2002-01-01T00:00:00Z https://x.example/archives/dup.html
  done
  echo '</feed>'
} >"$feed"
"$exe" convert --to hugo -o "$work/site" --redirects "$work/redirects" \
  "$feed" >"$work/log" 2>&1
rc=$?
fail=0
check() { # description, condition (a command)
  if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi
}
check "exit status 0 or 1 (got $rc)" '[ $rc -le 1 ]'
posts=$work/site/content/posts
check "2101 post files" '[ "$(ls "$posts" | wc -l)" -eq 2101 ]'
check "'Same 2' (earliest) took same-2" 'grep -q "^title: \"Same 2\"" "$posts/same-2.md"'
check "the first 'Same' took same" 'grep -q "^Body 1$" "$posts/same.md"'
check "the last 'Same' took same-2001" 'grep -q "^Body 2000$" "$posts/same-2001.md"'
check "no same-2002" '[ ! -e "$posts/same-2002.md" ]'
check "'Other' posts: dup, dup-2 ... dup-100" '[ -e "$posts/dup.md" ] && [ -e "$posts/dup-100.md" ] && [ ! -e "$posts/dup-101.md" ]'
check "one alias for the shared old URL" '[ "$(grep -l "^- \"/archives/dup.html\"$" "$posts"/*.md | wc -l)" -eq 1 ]'
check "one redirect line" '[ "$(wc -l <"$work/redirects")" -eq 1 ]'
check "99 duplicate-alias warnings" '[ "$(grep -c "already has the old URL" "$work/log")" -eq 99 ]'
check "99 duplicate-redirect warnings" '[ "$(grep -c "already redirects" "$work/log")" -eq 99 ]'
[ $fail -eq 0 ] && echo "dups: ok"
exit $fail
