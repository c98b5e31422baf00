# install.cmake - what `cmake --install BUILD --prefix P` puts where, and the
# Debian package made from the same rules (`cpack -G DEB` in the build
# directory, or the `package` target).
#
#   P/bin/dbt-aot                        the tool
#   P/bin/dbt-run                        the launcher (docs/launcher.md)
#   P/lib/dbt-aot/libdbt_jit.so          the JIT fallback, dlopened by outputs
#   P/share/dbt-aot/libdbt_runtime.a     linked into every output,
#   P/share/dbt-aot/x86_64-output.ld     with its linker script
#   P/share/dbt-aot/dbt-gdb.py, binfmt.sh  the gdb helper, binfmt_misc registration
#   P/share/doc/dbt-aot/                 README.md, docs/, examples/
#
# The tool finds the JIT and the runtime relative to its own directory
# (rewriter/link.c), so the prefix is chosen at install time, and an
# installed tool needs nothing of the build or source tree.  The build tree
# keeps all three next to each other, which the tool tries first.

set(DBT_INSTALL_BIN_DIR bin)
set(DBT_INSTALL_JIT_DIR lib/dbt-aot)
set(DBT_INSTALL_RUNTIME_DIR share/dbt-aot)
set(DBT_INSTALL_DOC_DIR share/doc/dbt-aot)

# The same layout as the tool sees it from its bin directory ("../lib/dbt-aot").
foreach(d JIT RUNTIME)
  file(RELATIVE_PATH rel /p/${DBT_INSTALL_BIN_DIR} /p/${DBT_INSTALL_${d}_DIR})
  target_compile_definitions(dbt_aot PRIVATE DBT_INSTALL_${d}_DIR="${rel}")
  target_compile_definitions(dbt-run PRIVATE DBT_INSTALL_${d}_DIR="${rel}")
endforeach()

# No RPATH is installed (CMake drops the build tree's): libLLVM-16, capstone
# and libelf are found in the system's library directories.
install(TARGETS dbt-aot dbt-run RUNTIME DESTINATION ${DBT_INSTALL_BIN_DIR})
# The gdb helper (docs/debugging.md) and the binfmt_misc registration
# (docs/launcher.md) beside the runtime.
install(FILES scripts/dbt-gdb.py DESTINATION ${DBT_INSTALL_RUNTIME_DIR})
install(PROGRAMS scripts/binfmt.sh DESTINATION ${DBT_INSTALL_RUNTIME_DIR})
install(TARGETS dbt_jit LIBRARY DESTINATION ${DBT_INSTALL_JIT_DIR})
install(TARGETS dbt_runtime ARCHIVE DESTINATION ${DBT_INSTALL_RUNTIME_DIR})
install(FILES linker-scripts/x86_64-output.ld DESTINATION ${DBT_INSTALL_RUNTIME_DIR})
install(FILES README.md DESTINATION ${DBT_INSTALL_DOC_DIR})
install(DIRECTORY docs examples DESTINATION ${DBT_INSTALL_DOC_DIR})

# --- the Debian package ---
# Depends: the shared libraries of dbt-aot and libdbt_jit.so (libLLVM-16,
# capstone, libelf, libc) come from dpkg-shlibdeps; translating also runs
# the linker and links the host start files and libraries that
# CMakeLists.txt baked into the tool, whose packages dpkg names here (on
# bookworm lld-16, libc6-dev, libgcc-12-dev), so the list follows what was
# baked in.  Outputs need only libc6 and, for the JIT, what libdbt_jit.so
# needs.
set(DBT_DEB_DEPENDS "")
find_program(DPKG_QUERY dpkg-query)
foreach(f ${LLD_PROGRAM} ${HOST_Scrt1_o} ${HOST_crti_o} ${HOST_crtn_o} ${HOST_crtbeginS_o} ${HOST_crtendS_o}
          ${HOST_libc_so} ${HOST_LIBGCC})
  # dpkg knows /usr/lib/x86_64-linux-gnu/Scrt1.o, not gcc's .../12/../../../ spelling.
  get_filename_component(real ${f} REALPATH)
  set(owner "")
  if(DPKG_QUERY)
    execute_process(COMMAND ${DPKG_QUERY} -S ${real} OUTPUT_VARIABLE owner ERROR_QUIET)
    # "lld-16: /usr/lib/llvm-16/bin/lld", "libc6-dev:amd64: /usr/lib/...": the first package.
    string(REGEX MATCH "^[^:, ]+" owner "${owner}")
  endif()
  if(owner STREQUAL "")
    message(WARNING "no Debian package owns ${real}: the package's Depends will lack it")
  else()
    list(APPEND DBT_DEB_DEPENDS ${owner})
  endif()
endforeach()
list(REMOVE_DUPLICATES DBT_DEB_DEPENDS)
string(REPLACE ";" ", " DBT_DEB_DEPENDS "${DBT_DEB_DEPENDS}")

set(DBT_PACKAGE_MAINTAINER "dbt-aot maintainers <maintainers@users.noreply.b-seed-c93cc98d.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dbt-aot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ahead-of-time translator of AArch64 Linux programs to x86-64")
set(CPACK_PACKAGE_DESCRIPTION "\
dbt-aot turns a Linux AArch64 ELF executable into a Linux x86-64 executable
that runs natively, without an emulator.  Code found only at run time is
translated then, by a JIT fallback the translated program loads.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${DBT_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${DBT_DEB_DEPENDS}")
include(CPack)
