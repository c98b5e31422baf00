/*
 * dlopen_host.c - dlopen()s libplug.so, which the translation did not
 * know about, and calls into it (dynamic/run.sh).  The output is written
 * with write(2): printf's formatting would bring its own JIT regions
 * (glibc vfprintf's computed gotos) into the count run.sh checks.
 */
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s) { write(1, s, strlen(s)); }

int main(void)
{
    void *h = dlopen("libplug.so", RTLD_NOW);
    if (h == NULL) {
        say("dlopen failed: ");
        say(dlerror());
        say("\n");
        return 1;
    }
    int (*scale)(int) = (int (*)(int))dlsym(h, "plug_scale");
    const char *(*name)(void) = (const char *(*)(void))dlsym(h, "plug_name");
    char num[3] = {0};
    int v = scale(14);
    num[0] = (char)('0' + v / 10);
    num[1] = (char)('0' + v % 10);
    say(name());
    say(" ");
    say(num);
    say("\n");
    return dlclose(h);
}
