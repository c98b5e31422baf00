/*
 * lua_driver.c - an embedded Lua 5.4 script, a workload of
 * tests/bench/workloads.sh.
 *
 *   lua_driver [SCALE]        (SCALE >= 1, default 6)
 *
 * Opens a Lua state with the standard libraries and runs the script below
 * with SCALE as its argument: recursive Fibonacci (calls, integer
 * arithmetic), string building with string.format, .. and table.concat
 * plus gsub and a byte-wise hash (the string library, the garbage
 * collector), and table.sort of 40000 * SCALE records with a Lua
 * comparison function.  Its random numbers come from a 64-bit linear
 * congruential generator in Lua integers (which wrap), and it never prints
 * in pairs() order (string hashing is seeded per state), so the output
 * depends only on SCALE: the same library version prints the same bytes
 * natively, under qemu-aarch64 and translated.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>

static const char script[] =
    "local scale = ...\n"
    "local seed = 20240501\n"
    "local function rand()\n"
    "  seed = seed * 6364136223846793005 + 1442695040888963407\n"
    "  return seed >> 33\n"
    "end\n"
    "local words = {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta',\n"
    "               'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi'}\n"
    "\n"
    "-- Recursion.\n"
    "local function fib(n)\n"
    "  if n < 2 then return n end\n"
    "  return fib(n - 1) + fib(n - 2)\n"
    "end\n"
    "local total = 0\n"
    "for i = 1, scale do total = total + fib(24 + i % 3) end\n"
    "print(string.format('fib: %d calls, sum %d, fib(30) %d', scale, total, fib(30)))\n"
    "\n"
    "-- Strings.\n"
    "local function hash(s)\n"
    "  local h = 0\n"
    "  for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) & 0xffffffff end\n"
    "  return h\n"
    "end\n"
    "local parts = {}\n"
    "for i = 1, 20000 * scale do\n"
    "  local r = rand()\n"
    "  parts[i] = string.format('%06d:%s:%.3f:%x', i, words[r % #words + 1], (r % 100000) / 7.0, r)\n"
    "end\n"
    "local s = table.concat(parts, ',')\n"
    "local line = ''\n"
    "for i = 1, 2000 do line = line .. words[i % #words + 1]:upper():sub(1, 2) end\n"
    "local replaced, count = s:gsub('(%a+):(%d+)', '%2=%1')\n"
    "print(string.format('strings: %d bytes, hash %08x, line %d %s, gsub %d %08x', #s, hash(s),\n"
    "                    #line, line:sub(1, 24), count, hash(replaced)))\n"
    "\n"
    "-- Sorting.\n"
    "local t = {}\n"
    "for i = 1, 40000 * scale do t[i] = {key = rand() % 100000, name = words[rand() % #words + 1], id = i} end\n"
    "table.sort(t, function(a, b)\n"
    "  if a.key ~= b.key then return a.key < b.key end\n"
    "  if a.name ~= b.name then return a.name < b.name end\n"
    "  return a.id < b.id\n"
    "end)\n"
    "local h = 0\n"
    "for i = 1, #t do h = (h * 31 + t[i].id) & 0xffffffff end\n"
    "print(string.format('sort: %d records, first %d/%s/%d, last %d/%s/%d, order hash %08x', #t,\n"
    "                    t[1].key, t[1].name, t[1].id, t[#t].key, t[#t].name, t[#t].id, h))\n"
    "local names = {}\n"
    "for i = 1, 20000 * scale do names[i] = words[rand() % #words + 1] .. (rand() % 1000) end\n"
    "table.sort(names)\n"
    "print(string.format('sort: %d strings, %s .. %s, median %s', #names, names[1], names[#names],\n"
    "                    names[#names // 2]))\n";

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 6;
    if (scale < 1) {
        fprintf(stderr, "usage: lua_driver [SCALE>=1]\n");
        return 2;
    }
    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, "lua_driver: out of memory\n");
        return 1;
    }
    luaL_openlibs(L);
    printf("%s, scale %d\n", LUA_RELEASE, scale);
    fflush(stdout);
    int rc = 0;
    if (luaL_loadbuffer(L, script, sizeof script - 1, "=workload") != LUA_OK) {
        fprintf(stderr, "lua_driver: %s\n", lua_tostring(L, -1));
        rc = 1;
    } else {
        lua_pushinteger(L, scale);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
            fprintf(stderr, "lua_driver: %s\n", lua_tostring(L, -1));
            rc = 1;
        }
    }
    lua_close(L);
    return rc;
}
