/* The converter's arena tree (mtport_md__html_parse, our SAX callbacks)
 * must equal the tree libxml2's own SAX2 builder makes (htmlReadMemory
 * with the same options, mtport_md__parse_html) in every field the
 * converter reads: node types, names, contents, attributes and their
 * values, the shape (children, last, next, prev, parent) and line numbers.
 *
 *   test_sax_tree [FILE|DIR]...
 *
 * Inputs: the built-in tricky cases below, then every file named (a DIR's
 * files each as one input; a file ending in cases.txt gives each case's
 * HTML). */
#include "html2md/html2md_int.h"
#include "../slurp.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, inputs;

static const char *S_name(const xmlChar *s) {
  return s ? (const char *)s : "(null)";
}

static int S_streq(const xmlChar *a, const xmlChar *b) {
  if (!a || !b)
    return a == b;
  return strcmp((const char *)a, (const char *)b) == 0;
}

static int S_node_diff(const xmlNode *a, const xmlNode *b, const char **what) {
  if (a->type != b->type)
    return *what = "type", 1;
  if (!S_streq(a->name, b->name))
    return *what = "name", 1;
  if (a->type != XML_ELEMENT_NODE && a->type != XML_DTD_NODE &&
      !S_streq(a->content, b->content))
    return *what = "content", 1;
  if (a->type != XML_DTD_NODE && a->line != b->line)
    return *what = "line", 1;
  if (xmlGetLineNo(a) != xmlGetLineNo(b))
    return *what = "xmlGetLineNo", 1;
  if (!a->children != !b->children || !a->last != !b->last ||
      !a->next != !b->next || !a->prev != !b->prev || !a->parent != !b->parent)
    return *what = "shape", 1;
  if (a->type != XML_DTD_NODE && a->children && a->last &&
      (a->children->parent != a || a->last->parent != a ||
       b->children->parent != b || b->last->parent != b))
    return *what = "parent links", 1;
  if (a->next && (a->next->prev != a || b->next->prev != b))
    return *what = "prev links", 1;
  if (a->type == XML_ELEMENT_NODE) {
    const xmlAttr *x = a->properties, *y = b->properties;
    for (; x && y; x = x->next, y = y->next) {
      if (!S_streq(x->name, y->name))
        return *what = "attribute name", 1;
      if (!x->children != !y->children)
        return *what = "attribute value presence", 1;
      if (x->children &&
          (x->children->type != y->children->type ||
           !S_streq(x->children->content, y->children->content) ||
           x->children->next || y->children->next ||
           (const xmlNode *)y->children->parent != (const xmlNode *)y ||
           y->parent != b))
        return *what = "attribute value", 1;
      if (mtport_md__attr(a, (const char *)x->name) == NULL)
        return *what = "attribute lookup", 1;
    }
    if (x || y)
      return *what = "attribute count", 1;
  }
  return 0;
}

static void S_compare(const char *label, const char *html, size_t len) {
  inputs++;
  htmlDocPtr want = mtport_md__parse_html(html, len);
  mtport_md__html got;
  int rc = mtport_md__html_parse(&got, html, len);
  if (!want || rc != MTPORT_OK) {
    /* No document at all (libxml2 gives up, e.g. on a UCS-4 looking
     * start): the converter reports it the same way either way. */
    if (want || rc == MTPORT_OK) {
      printf("FAIL %s: only the %s parse failed\n", label,
             want ? "arena" : "libxml2 DOM");
      failures++;
    }
    if (want)
      xmlFreeDoc(want);
    if (rc == MTPORT_OK)
      mtport_md__html_dispose(&got);
    return;
  }
  const xmlNode *a = (const xmlNode *)want, *b = (const xmlNode *)got.doc;
  const char *what = NULL;
  size_t nodes = 0;
  /* Lockstep walk; the shape check guarantees both trees step alike. */
  if (!a->children != !b->children || !a->last != !b->last)
    what = "document shape";
  else if (a->children) {
    a = a->children;
    b = b->children;
  } else
    a = NULL;
  while (a && !what) {
    nodes++;
    if (S_node_diff(a, b, &what))
      break;
    if (a->children && a->type != XML_DTD_NODE) {
      a = a->children;
      b = b->children;
      continue;
    }
    while (a) {
      if (a->next) {
        a = a->next;
        b = b->next;
        break;
      }
      a = a->parent;
      b = b->parent;
      if (a == (const xmlNode *)want) {
        if (b != (const xmlNode *)got.doc)
          what = "top parent";
        a = NULL;
      }
    }
  }
  if (what) {
    failures++;
    printf("FAIL %s: trees differ (%s) at node %zu: <%s> \"%.40s\" vs <%s> "
           "\"%.40s\"\n--- input\n%.300s\n",
           label, what, nodes, a ? S_name(a->name) : "-",
           a && a->type != XML_ELEMENT_NODE ? S_name(a->content) : "",
           b ? S_name(b->name) : "-",
           b && b->type != XML_ELEMENT_NODE ? S_name(b->content) : "", html);
  }
  xmlFreeDoc(want);
  mtport_md__html_dispose(&got);
}

/* Both the bytes as given and as the converter passes them (valid UTF-8). */
static void S_input(const char *label, const char *html, size_t len) {
  S_compare(label, html, len);
  mtport_buf clean = MTPORT_BUF_INIT;
  if (mtport_utf8_sanitize(&clean, html, len) >= 0 &&
      (clean.len != len || memcmp(clean.data, html, len) != 0))
    S_compare(label, clean.data ? clean.data : "", clean.len);
  mtport_buf_dispose(&clean);
}

/* cases.txt: the HTML between "=== name" and "--- markdown". */
static void S_cases(const char *path, const char *text) {
  const char *p = text;
  int k = 0;
  while ((p = strstr(p, "\n=== ")) != NULL) {
    const char *start = strchr(p + 1, '\n');
    if (!start)
      break;
    start++;
    const char *end = strstr(start, "\n--- markdown\n");
    if (!end)
      break;
    char label[512];
    snprintf(label, sizeof label, "%s case %d (%.*s)", path, ++k,
             (int)(start - p - 6), p + 5);
    S_input(label, start, (size_t)(end - start + 1));
    p = end;
  }
}

static void S_path(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.')
        continue;
      char **nn = realloc(names, (n + 1) * sizeof *names);
      if (!nn)
        break;
      names = nn;
      size_t l = strlen(path) + strlen(e->d_name) + 2;
      names[n] = malloc(l);
      if (names[n])
        snprintf(names[n++], l, "%s/%s", path, e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
      S_path(names[i]);
      free(names[i]);
    }
    free(names);
    return;
  }
  size_t len;
  char *text = t_slurp(path, &len);
  if (!text) {
    printf("FAIL cannot read %s\n", path);
    failures++;
    return;
  }
  size_t pl = strlen(path);
  if (pl >= 9 && strcmp(path + pl - 9, "cases.txt") == 0)
    S_cases(path, text);
  else
    S_input(path, text, len);
  free(text);
}

static const char *const S_tricky[] = {
    "",
    " ",
    "plain text",
    "<p>a &amp; b &lt;c&gt; &copy; &#169; &#x1F600; &bogus; tail</p>",
    "<!--more--><p>after a comment before any element</p>",
    "<p>x</p><!--trailing comment--> trailing text",
    "<!DOCTYPE html><p>doctype first</p>",
    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html><body>\n "
    "<p>strict</p>\n </body></html>",
    "<p>one</p><!DOCTYPE html><p>misplaced doctype</p>",
    "<html><body><p>a</p></body></html><p>after html</p><!--c-->tail",
    "<html><head><title>t</title></head><body>b</body></html>\n\n<div>x</div>",
    "<?php echo 1; ?><p>pi first</p><?xml-stylesheet href=\"a\"?>",
    "<o:p>office</o:p><p><o:p></o:p>x</p><xml:lang>q</xml:lang><a:>b</a:>",
    "<:x>colon first</:x><ns:b:c>two colons</ns:b:c>",
    "<input checked disabled value=x><option selected>o</option>",
    "<a href>empty href</a><a href=\"\">empty quoted</a><a title='q'>t</a>",
    "<p title=\"a &amp; b &quot;q&quot;\" data-x=1 data-x=2>dup attr</p>",
    "<script>if (a < b && c > d) { x = \"</p>\"; }</script>after script",
    "<style>p { color: red }</style><p>styled</p>",
    "<textarea>a <b>not bold</b></textarea><xmp><i>x</i></xmp>",
    "<pre>\nline 1\n\n  line 3\r\nline 4\rline 5</pre>",
    "<table><tr><td>1<td>2</tr><tr><th>h</table>text",
    "<ul><li>one<li>two<ul><li>nested</ul></ul><dl><dt>t<dd>d</dl>",
    "<p>unclosed <b>bold <i>both</p> after</i></b> tail",
    "<b>a</b> <i>b</i>\n<u>c</u>\t<span> </span> <br> <br/>",
    "<div>\n  <p>\n    indented\n  </p>\n  \n</div>\n",
    "<head><meta charset=\"iso-8859-1\"></head><p>caf\xc3\xa9</p>",
    "<p>\xef\xbb\xbf bom inside</p>",
    "<p>a</p>\n\n\n<p>b</p>\n<!-- c1 -->\n<!-- c2 -->\n<p>c</p>",
    "<body><p>x</p></body><body><p>second body</p></body>",
    "</p></div></b>stray end tags<p>x",
    "<p>&nbsp;&nbsp;x&nbsp;</p><p>&#0;&#xD800;&#1114112;</p>",
    "<img src=a.png alt=\"a\nb\"><img src = 'b.png' alt = c >",
    "<a href=\"x\"\n   title=\"y\">multi\nline\ntag</a>",
    "<![CDATA[ cdata in html ]]><p>x</p>",
    "<p>text <!-- comment --> more text</p>",
    "<noscript><p>no</p></noscript><template><p>t</p></template>",
    "<frameset><frame src=a></frameset><p>after frameset</p>",
    "<svg><circle r=1 /></svg><math><mi>x</mi></math>",
    "<p>x</p>\n<html lang=en><body class=c><p>late html and body</p>",
    "<title>in body?</title><base href=/x/><link rel=a href=b><meta name=c>",
    "<p>lots of\n\n\nlines\n\n\n\n\nhere</p>\n\n\n<p>and\nmore</p>",
    NULL};

#ifdef MTPORT_TREE_FUZZER
/* Differential fuzzing by hand (clang, libFuzzer; see the file's end). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16)
    return 0;
  S_input("fuzz", (const char *)data, size);
  if (failures) {
    fflush(stdout);
    abort();
  }
  return 0;
}
#else
int main(int argc, char **argv) {
  for (int i = 0; S_tricky[i]; i++) {
    char label[32];
    snprintf(label, sizeof label, "tricky %d", i);
    S_input(label, S_tricky[i], strlen(S_tricky[i]));
  }
  /* Text past line 65535 and deep nesting. */
  mtport_buf big = MTPORT_BUF_INIT;
  for (int i = 0; i < 70000; i++)
    mtport_buf_printf(&big, "%s\n", i % 7 ? "w" : "<p>para</p>");
  for (int i = 0; i < 3000; i++)
    mtport_buf_puts(&big, "<div><b>");
  mtport_buf_puts(&big, "deep");
  S_input("big", big.data, big.len);
  mtport_buf_dispose(&big);
  for (int i = 1; i < argc; i++)
    S_path(argv[i]);
  printf("%d inputs, %d failures\n", inputs, failures);
  return failures ? 1 : 0;
}
#endif

/* Fuzzing: build the library with -DMTPORT_FUZZ=ON (clang) in build-fuzz,
 * then clang -DMTPORT_TREE_FUZZER -fsanitize=fuzzer,address,undefined
 * -Isrc -Iinclude $(pkg-config --cflags libxml-2.0 libcmark-gfm)
 * tests/html2md/test_sax_tree.c build-fuzz/libmtport.a and the libraries
 * (libxml2, cmark-gfm + extensions, yaml, jansson, uchardet). */
