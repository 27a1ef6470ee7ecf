/* Throughput of HTML -> Markdown with the proof on, in MB/s of body HTML,
 * over a synthetic body set (deterministic; default 64 MB), one core.
 * Time is process CPU time, so other load on the machine does not count.
 * Not a ctest: run by hand.
 *
 *   html2md_bench [MB] [--dump DIR] [--only proof|fast]
 *
 * --only runs one of the two passes (for callgrind: count one at a time).
 * --dump writes the bodies as DIR/NNNNN.html so other converters (turndown,
 * pandoc) can be timed on the same input (tests/bench/turndown_bench.cjs). */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long S_rng = 12345;
static unsigned S_rand(unsigned n) {
  S_rng = S_rng * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((S_rng >> 33) % n);
}

static const char *const S_words[] = {
    "the",     "quick",   "brown",  "fox",     "jumps",  "over",   "lazy",
    "dog",     "server",  "backup", "network", "kernel", "module", "disk",
    "cache",   "latency", "deploy", "config",  "review", "blog",   "archive",
    "comment", "rsync",   "nginx",  "東京",    "データ", "서버",   "сервер",
    "café",    "naïve",   "a_b",    "2*3",     "[x]",    "#tag",   "1."};

static void S_words_n(mtport_buf *b, int n) {
  for (int i = 0; i < n; i++) {
    if (i)
      mtport_buf_putc(b, ' ');
    mtport_buf_puts(b, S_words[S_rand(sizeof S_words / sizeof *S_words)]);
  }
}

static void S_body(mtport_buf *b, unsigned i) {
  int parts = 4 + (int)S_rand(6);
  for (int k = 0; k < parts; k++) {
    unsigned kind = S_rand(100);
    if (kind < 45) {
      mtport_buf_puts(b, "<p>");
      S_words_n(b, 30);
      mtport_buf_printf(b,
                        " <a href=\"/%u/%02u/p%u.html\" title=\"see "
                        "&quot;it&quot;\" class=\"x\">",
                        2000 + i % 20, i % 12 + 1, i);
      S_words_n(b, 3);
      mtport_buf_puts(b, "</a> <strong>");
      S_words_n(b, 2);
      mtport_buf_puts(b, "</strong>, <em>");
      S_words_n(b, 2);
      mtport_buf_puts(b, "</em> &amp; more.<br />\n");
      S_words_n(b, 12);
      mtport_buf_puts(b, "</p>\n");
    } else if (kind < 60) {
      int ordered = (int)S_rand(2);
      mtport_buf_puts(b, ordered ? "<ol start=\"3\">" : "<ul>");
      int n = 2 + (int)S_rand(4);
      for (int j = 0; j < n; j++) {
        mtport_buf_puts(b, "<li>");
        S_words_n(b, 6);
        if (S_rand(4) == 0) {
          mtport_buf_puts(b, "<ul><li>");
          S_words_n(b, 4);
          mtport_buf_puts(b, "</li></ul>");
        }
        mtport_buf_puts(b, "</li>");
      }
      mtport_buf_puts(b, ordered ? "</ol>\n" : "</ul>\n");
    } else if (kind < 70) {
      mtport_buf_puts(b, "<pre class=\"brush: js;\">function f(a) {\n"
                         "  return a * 2; // `x` &lt;b&gt;\n}\n</pre>\n");
    } else if (kind < 76) {
      mtport_buf_puts(b, "<table><tr><th>name</th><th>value</th></tr>");
      for (int j = 0; j < 3; j++) {
        mtport_buf_puts(b, "<tr><td>");
        S_words_n(b, 2);
        mtport_buf_puts(b, "</td><td><code>a|b</code></td></tr>");
      }
      mtport_buf_puts(b, "</table>\n");
    } else if (kind < 84) {
      mtport_buf_printf(b,
                        "<p><img src=\"/images/%u.jpg\" alt=\"photo %u\" "
                        "width=\"400\" height=\"300\" /></p>\n",
                        i, k);
    } else if (kind < 90) {
      mtport_buf_puts(b, "<blockquote><p>");
      S_words_n(b, 20);
      mtport_buf_puts(b, "</p></blockquote>\n");
    } else if (kind < 94) {
      mtport_buf_printf(b, "<h3>Part %d</h3>\n", k);
    } else {
      mtport_buf_puts(b, "<div class=\"entry\">");
      S_words_n(b, 15);
      mtport_buf_puts(b, " <sup>1</sup> <code>x = 1</code></div>\n");
    }
  }
}

int main(int argc, char **argv) {
  double mb = 64;
  const char *dump = NULL;
  int only = -1; /* -1 both passes, 0 proof on, 1 no proof */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
      dump = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = strcmp(argv[++i], "fast") == 0;
    else
      mb = atof(argv[i]);
  }
  /* Build the bodies first so generation is not timed. */
  size_t target = (size_t)(mb * 1024 * 1024), total = 0, n = 0, cap = 0;
  mtport_buf *bodies = NULL;
  while (total < target) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      bodies = realloc(bodies, cap * sizeof *bodies);
      if (!bodies)
        return 1;
    }
    mtport_buf_init(&bodies[n]);
    S_body(&bodies[n], (unsigned)n);
    total += bodies[n].len;
    if (dump) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%06zu.html", dump, n);
      FILE *f = fopen(path, "wb");
      if (f) {
        fwrite(bodies[n].data, 1, bodies[n].len, f);
        fclose(f);
      }
    }
    n++;
  }
  mtport_md_options proof = MTPORT_MD_OPTIONS_INIT, fast = proof;
  proof.base_url = "http://example.com/blog/";
  fast.base_url = proof.base_url;
  fast.flags = MTPORT_MD_NO_PROOF;
  for (int pass = 0; pass < 2; pass++) {
    if (only >= 0 && pass != only)
      continue;
    const mtport_md_options *o = pass ? &fast : &proof;
    mtport_buf out = MTPORT_BUF_INIT;
    unsigned long raw = 0, diff = 0;
    size_t md_bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (size_t i = 0; i < n; i++) {
      mtport_md_report r;
      memset(&r, 0, sizeof r);
      mtport_buf_clear(&out);
      mtport_html_to_markdown(&out, bodies[i].data, bodies[i].len, o, &r);
      md_bytes += out.len;
      raw += r.raw_blocks;
      diff += r.differences;
      mtport_md_report_dispose(&r);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%-10s %zu bodies, %.1f MB HTML -> %.1f MB Markdown in %.2f s: "
           "%.1f MB/s, %.0f bodies/s (raw fallbacks %lu, differences %lu)\n",
           pass ? "no proof" : "proof on", n, total / 1048576.0,
           md_bytes / 1048576.0, s, total / 1048576.0 / s, n / s, raw, diff);
    mtport_buf_dispose(&out);
  }
  for (size_t i = 0; i < n; i++)
    mtport_buf_dispose(&bodies[i]);
  free(bodies);
  return 0;
}
