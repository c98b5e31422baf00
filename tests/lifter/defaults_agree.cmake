# The runner and the oracle must start every case from the same state:
# compare `lifter_test --print-defaults` with `fill_expected.py --print-defaults`.
# cmake -DRUNNER=... -DPYTHON=... -DORACLE=... -P defaults_agree.cmake
execute_process(COMMAND ${RUNNER} --print-defaults OUTPUT_VARIABLE runner RESULT_VARIABLE rc1)
execute_process(COMMAND ${PYTHON} ${ORACLE} --print-defaults OUTPUT_VARIABLE oracle RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "--print-defaults failed (runner: ${rc1}, oracle: ${rc2})")
endif()
if(NOT runner STREQUAL oracle)
  message(FATAL_ERROR "initial states differ:\n--- lifter_test\n${runner}--- fill_expected.py\n${oracle}")
endif()
message(STATUS "lifter_test and fill_expected.py agree on the initial state")
