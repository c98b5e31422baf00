/*
 * plugin.c - libplug.so, a guest library no program names in DT_NEEDED:
 * dlopen_host.c finds it at run time (dynamic/run.sh).
 */
int plug_scale(int x) { return x * 3 + 1; }
const char *plug_name(void) { return "plug v1"; }
