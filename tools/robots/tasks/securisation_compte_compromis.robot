*** Settings ***
Documentation     Mise en sécurité d'un compte compromis (procédure SSI-PRO-012).
Library           tools.robots.libraries.security.AccountSecuring    ${INPUTS_FILE}    ${ARTIFACTS_DIR}    ${TENANT_URL}    ${ROBOT_KEY}

*** Tasks ***
Sécuriser le compte
    Declare Incident
    Reset Password
    Queue Antivirus Scan
    Text The User
    Write Incident Report
