// dyn_cxx.cpp - C++ dynamically linked against libstdc++.so.6 and
// libgcc_s.so.1: iostream, std::map and std::string, a static constructor,
// exceptions thrown through several translated frames (the guest's
// unwinder in libgcc_s reading the guest's .eh_frame) and std::out_of_range
// from the library.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>
struct Reg { std::map<std::string,int> m; Reg() { m["ctor"] = 1; } } reg;
static int depth(int n) { if (n == 0) throw std::runtime_error("bottom reached"); std::string s(n, 'x'); return depth(n - 1) + (int)s.size(); }
int main() {
  std::map<std::string, int> counts;
  for (auto w : {"pear", "fig", "pear", "kiwi", "fig", "pear"}) counts[w]++;
  for (auto &p : counts) std::cout << p.first << "=" << p.second << "\n";
  try { depth(5); } catch (const std::exception &e) { std::cout << "caught: " << e.what() << "\n"; }
  std::vector<int> v(10); try { v.at(20) = 1; } catch (const std::out_of_range &) { std::cout << "out_of_range\n"; }
  std::cout << "static ctor: " << reg.m["ctor"] << std::endl;
  return 0;
}
