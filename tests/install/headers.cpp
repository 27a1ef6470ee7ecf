// The public headers compile as C++ too (extern "C", no C-only syntax).
#include <mtport/mtport.h>
int main() {
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_buf_puts(&b, "x");
  mtport_buf_dispose(&b);
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  return o.version == MTPORT_READER_OPTIONS_VERSION ? 0 : 1;
}
