*** Settings ***
Documentation     Counts its runs, then waits for a release file (restart test).
Library           OperatingSystem

*** Tasks ***
Attendre le signal
    Append To File    ${ARTIFACTS_DIR}/../../runs.log    start\n
    Wait Until Created    ${ARTIFACTS_DIR}/../../release    timeout=240s
    Append To File    ${ARTIFACTS_DIR}/../../runs.log    end\n
