#!/usr/bin/env python3
"""One post with N items in one of its lists, for the linear-time checks of
issue #17 case 2 (tests/hostile/lists.sh) and tests/bench/hostile.sh.

usage: lists.py KIND N > FILE
KIND: atom-tags atom-cats atom-authors atom-links
      txt-tags txt-cats txt-primary txt-comments
      bak-tags bak-cats bak-comments bak-attrs bak-fileinfo
"""
import sys

ATOM_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<feed xmlns="http://www.w3.org/2005/Atom"><title>lists</title>'
             '<id>tag:example.com,2009:lists</id>'
             '<updated>2009-01-01T00:00:00Z</updated>\n'
             '<entry><title>many</title><id>tag:example.com,2009:1</id>'
             '<published>2009-01-01T00:00:00Z</published>'
             '<updated>2009-01-01T00:00:00Z</updated>'
             '<content type="html">body</content>\n')
TAG = 'http://www.sixapart.com/ns/types#tag'
CAT = 'http://www.sixapart.com/ns/types#category'

BAK_HEAD = ("<?xml version='1.0'?>\n<movabletype "
            "xmlns='http://www.sixapart.com/ns/movabletype'>\n"
            "<blog id='1' name='lists' server_offset='0' "
            "site_url='http://example.com/'></blog>\n"
            "<author id='1' name='ada'></author>\n")
BAK_ENTRY = ("<entry id='1' author_id='1' authored_on='20090101000000' "
             "basename='many' blog_id='1' class='entry' status='2' "
             "title='many'%s><text>body</text></entry>\n")


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    w = sys.stdout.write
    if kind.startswith('atom-'):
        w(ATOM_HEAD)
        for i in range(n):
            if kind == 'atom-tags':
                w('<category term="t%d" scheme="%s"/>\n' % (i, TAG))
            elif kind == 'atom-cats':
                w('<category term="c%d" scheme="%s"/>\n' % (i, CAT))
            elif kind == 'atom-authors':
                w('<author><name>a%d</name></author>\n' % i)
            elif kind == 'atom-links':
                w('<link rel="related" href="http://example.com/%d"/>\n' % i)
        w('</entry></feed>\n')
    elif kind.startswith('txt-'):
        w('TITLE: many\nDATE: 01/01/2009 12:00:00 AM\n')
        if kind == 'txt-tags':
            w('TAGS: %s\n' % ','.join('t%d' % i for i in range(n)))
        elif kind == 'txt-cats':
            w(''.join('CATEGORY: c%d\n' % i for i in range(n)))
        elif kind == 'txt-primary':
            w(''.join('PRIMARY CATEGORY: c%d\n' % i for i in range(n)))
        w('-----\nBODY:\nbody\n-----\n')
        if kind == 'txt-comments':
            for i in range(n):
                w('COMMENT:\nAUTHOR: a%d\nDATE: 01/01/2009 12:00:00 AM\n'
                  'comment %d\n-----\n' % (i, i))
        w('--------\n')
    elif kind.startswith('bak-'):
        w(BAK_HEAD)
        if kind == 'bak-attrs':
            w(BAK_ENTRY % ''.join(" x%d='v'" % i for i in range(n)))
        else:
            w(BAK_ENTRY % '')
        for i in range(n):
            if kind == 'bak-tags':
                w("<tag id='%d' name='t%d'></tag>\n"
                  "<objecttag id='%d' object_datasource='entry' "
                  "object_id='1' tag_id='%d'></objecttag>\n"
                  % (i + 10, i, i + 10, i + 10))
            elif kind == 'bak-cats':
                w("<category id='%d' basename='c%d' blog_id='1' "
                  "class='category' label='c%d' parent='0'></category>\n"
                  "<placement id='%d' blog_id='1' category_id='%d' "
                  "entry_id='1' is_primary='1'></placement>\n"
                  % (i + 10, i, i, i + 10, i + 10))
            elif kind == 'bak-comments':
                parent = " parent_id='%d'" % (i + 9) if i else ''
                w("<comment id='%d' author='a%d' blog_id='1' "
                  "created_on='20090101000000' entry_id='1' visible='1'%s>"
                  "<text>c%d</text></comment>\n" % (i + 10, i, parent, i))
            elif kind == 'bak-fileinfo':
                w("<fileinfo id='%d' archive_type='Individual' blog_id='1' "
                  "entry_id='1' templatemap_id='%d' "
                  "url='/2009/01/many-%d.html'></fileinfo>\n"
                  % (i + 10, i + 10, i))
        w('</movabletype>\n')
    else:
        sys.exit('unknown kind ' + kind)


if __name__ == '__main__':
    main()
