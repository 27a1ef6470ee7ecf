#include <mtport/mtport.h>
#include <stdio.h>
int main(int argc, char **argv) { printf("mtport %s\n", mtport_version()); return 0; }
