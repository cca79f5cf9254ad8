*** Settings ***
Documentation     R10 — enregistrement d'une demande de création d'accès applicatif.
Library           tools.robots.libraries.access.AccessRequests    ${INPUTS_FILE}    ${ARTIFACTS_DIR}    ${TENANT_URL}    ${ROBOT_KEY}

*** Tasks ***
Enregistrer la demande d'accès
    File Access Request    ${REQUESTER}
