#!/usr/bin/env python3
"""Prints, one per line, the blocks of rendered HTML (a JSON Feed's
content_html) whose visible text still shows Textile or Markdown syntax:
a block signature (bq. h2. p(x). ...), Markdown heading marks (## ...), or
a "**" pair. Code, pre, script, style and comments are left out.
usage: corpus_marks.py FEED.json..."""
import html
import json
import re
import sys

SIG = re.compile(r'^(bq|bc|h[1-6]|p|fn\d+)(\([^)]*\)|\{[^}]*\}|\[[^\]]*\]|[<>=()])*\.{1,2} ')
BLOCK = re.compile(r'(?i)<(?:p|br|li|h\d|blockquote|div|td|th|tr|table|ul|ol|dd|dt)\b[^>]*>')

for path in sys.argv[1:]:
    for item in json.load(open(path, encoding='utf-8'))['items']:
        h = item.get('content_html', '')
        h = re.sub(r'(?is)<(pre|code|script|style)\b.*?</\1>', ' ', h)
        h = re.sub(r'(?s)<!--.*?-->', ' ', h)
        for block in BLOCK.split(h):
            text = html.unescape(re.sub(r'<[^>]+>', '', block)).strip()
            kinds = []
            if SIG.match(text):
                kinds.append('block signature')
            if re.match(r'^#{1,6}(\s|[^\s\d#])', text):
                kinds.append('heading marks')
            if '**' in text:
                kinds.append('**')
            for k in kinds:
                print('%s\t%s\t%s' % (item.get('title', ''), k,
                                      text.replace('\t', ' ')[:60]))
