/* mtport_slugify(): the contract in include/mtport/util.h, case by case. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;

static void expect(const char *in, unsigned flags, size_t max,
                   const char *want) {
  char *got = mtport_slugify(in, flags, max);
  if (!got || strcmp(got, want) != 0) {
    printf("FAIL slugify(\"%s\", %u, %zu) = \"%s\", want \"%s\"\n",
           in ? in : "(null)", flags, max, got ? got : "(null)", want);
    fails++;
  }
  free(got);
}

/* Properties every slug has, whatever the input. */
static void props(const char *in, size_t max) {
  char *s = mtport_slugify(in, 0, max);
  size_t n = s ? strlen(s) : 0;
  int bad = !s || n == 0 || (max && n > max) || strcmp(s, ".") == 0 ||
            strcmp(s, "..") == 0 || strchr(s, '/') || strchr(s, '\\') ||
            !mtport_utf8_valid(s, n) || s[0] == '-' || s[n - 1] == '-' ||
            s[0] == '_' || s[0] == '.';
  for (size_t i = 0; i < n && !bad; i++)
    bad = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
          (s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' ';
  if (bad) {
    printf("FAIL properties of slugify(\"%s\", %zu) = \"%s\"\n", in, max,
           s ? s : "(null)");
    fails++;
  }
  free(s);
}

int main(void) {
  const unsigned K = MTPORT_SLUG_KEEP_UNDERSCORES;
  expect("Hello, World!", 0, 100, "hello-world");
  expect("  many   spaces  ", 0, 100, "many-spaces");
  expect("Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbb"
         "l\xc3\xa9"
         "e",
         0, 100, "cafe-creme-brulee");
  expect("Stra\xc3\x9f"
         "e \xc3\x86gir \xc5\x92uvre \xc3\x98re \xc5\x81\xc3\xb3"
         "d\xc5\xba",
         0, 100, "strasse-aegir-oeuvre-ore-lodz");
  expect("Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t", 0, 100, "tieng-viet");
  expect("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, 100,
         "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"); /* 日本語 kept */
  expect("\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x81\xe8\xaa\x9e", 0, 100,
         "\xe6\x97\xa5\xe6\x9c\xac-\xe8\xaa\x9e"); /* ideographic comma */
  expect("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
         "\xd0\x9c\xd0\xb8\xd1\x80",
         0, 100,
         "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82-"
         "\xd0\xbc\xd0\xb8\xd1\x80");
  expect("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 0, 100,
         "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"); /* 한국어 */
  expect("\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", 0, 100,
         "\xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1"); /* Αθήνα lower-cased */
  expect("\xd4\xb1\xd5\xa2", 0, 100, "\xd5\xa1\xd5\xa2"); /* Աբ -> աբ */
  expect("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\x91", 0, 100, "ab1"); /* ＡＢ１ */
  expect("e\xcc\x81t\xc3\xa9", 0, 100, "ete"); /* combining accent */
  expect("emoji \xf0\x9f\x98\x80 here", 0, 100, "emoji-here");
  expect("my_entry_name", 0, 100, "my-entry-name");
  expect("my_entry_name", K, 100, "my_entry_name");
  expect("_leading_and_trailing_", K, 100, "leading_and_trailing");
  expect("", 0, 100, "post");
  expect(NULL, 0, 100, "post");
  expect("!!!", 0, 100, "post");
  expect(".", 0, 100, "post");
  expect("..", 0, 100, "post");
  expect("../../x", 0, 100, "x");
  expect("/etc/passwd", 0, 100, "etc-passwd");
  expect("a\x01"
         "b\x7f"
         "c\tD",
         0, 100, "a-b-c-d");
  expect("bad \xff\xfe bytes \xc3", 0, 100, "bad-bytes");
  expect("\xe0\x80\xaf overlong", 0, 100, "overlong");
  expect("1.10", 0, 100, "1-10");
  expect("2009-11-22", 0, 100, "2009-11-22");
  expect("abcdef ghijkl", 0, 8, "abcdef-g");
  expect("abcdef ghijkl", 0, 7, "abcdef"); /* no trailing '-' after a cut */
  /* cut on a character boundary: 語 is 3 bytes */
  expect("\xe8\xaa\x9e\xe8\xaa\x9e\xe8\xaa\x9e", 0, 7,
         "\xe8\xaa\x9e\xe8\xaa\x9e");
  expect("\xe8\xaa\x9e", 0, 2, "po");
  expect("x", 0, 0, "x"); /* 0: no cap */

  /* issue #17 case 7: every format character (Cf) goes, bidi controls
   * included, and letters are joined across it */
  expect("ab\xd8\x9c"
         "cd",
         0, 100, "abcd"); /* U+061C */
  expect("ab\xe2\x80\xae"
         "cd",
         0, 100, "abcd"); /* U+202E */
  expect("ab\xe2\x81\xa6"
         "cd\xe2\x81\xa9",
         0, 100, "abcd"); /* 2066/9 */
  expect("a\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f"
         "b",
         0, 100, "ab"); /* U+200B..F */
  expect("a\xc2\xad"
         "b\xef\xbb\xbf"
         "c\xf3\xa0\x80\x81"
         "d",
         0, 100, "abcd"); /* soft hyphen, BOM, language tag */
  expect("x\xe2\x80\xaa"
         "y\xe2\x80\xac",
         0, 100, "xy"); /* LRE, PDF */
  /* NFC: the decomposed Hangul of 한글 (jamo) is the composed one */
  expect("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\xe1\x84\x80\xe1\x85\xb3"
         "\xe1\x86\xaf",
         0, 100, "\xed\x95\x9c\xea\xb8\x80");
  expect("\xed\x95\x9c\xea\xb8\x80", 0, 100, "\xed\x95\x9c\xea\xb8\x80");
  /* case folding beyond ASCII: Greek with tonos, final sigma, Georgian
   * Mtavruli, Cherokee, Deseret; the same slug for either case */
  expect("\xce\x86\xce\xa3", 0, 100, "\xce\xac\xcf\x83"); /* ΆΣ -> άσ */
  expect("\xce\xac\xcf\x82", 0, 100, "\xce\xac\xcf\x83"); /* άς -> άσ */
  expect("\xe1\xb2\x90", 0, 100, "\xe1\x83\x90");         /* Mtavruli an */
  expect("\xf0\x90\x90\x80", 0, 100, "\xf0\x90\x90\xa8"); /* Deseret */
  {
    char *up = mtport_slugify("\xe1\x8e\xa0", 0, 100); /* Cherokee A */
    char *lo = mtport_slugify("\xea\xad\xb0", 0, 100); /* its small form */
    if (!up || !lo || strcmp(up, lo) != 0) {
      printf("FAIL: Cherokee cases differ: \"%s\" \"%s\"\n", up, lo);
      fails++;
    }
    free(up);
    free(lo);
  }

  const char *hard[] = {"yes",         "No",
                        "on",          "~",
                        "null",        "a: b",
                        "#x",          "@x",
                        "- x",         "'q'",
                        "a\tb",        "../../x",
                        "/etc/passwd", "\xc2\xa0\xe2\x80\x8b",
                        "...",         "-_-",
                        "CON",         NULL};
  for (size_t i = 0; hard[i]; i++) {
    props(hard[i], 120);
    props(hard[i], 3);
  }
  char big[1200];
  for (size_t i = 0; i + 3 < sizeof big; i += 3)
    memcpy(big + i, "\xc3\xa9-", 3);
  big[sizeof big - 1] = '\0';
  props(big, 120);
  char *s = mtport_slugify(big, 0, 120);
  if (!s || strlen(s) > 120 || strlen(s) < 110) {
    printf("FAIL: long input gave %zu bytes\n", s ? strlen(s) : 0);
    fails++;
  }
  free(s);
  printf("%s\n", fails ? "FAILED" : "ok");
  return fails ? 1 : 0;
}
