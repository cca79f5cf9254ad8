*** Settings ***
Documentation     Rapport quotidien des vulnérabilités de l'Active Directory, constats classés par gravité.
Library           tools.robots.libraries.ad_report.AdReport    ${INPUTS_FILE}    ${ARTIFACTS_DIR}    ${SAMPLES_DIR}

*** Tasks ***
Analyser l'export de l'annuaire
    ${findings}=    Analyse Directory Export
    Write Ranked Report    ${findings}
