*** Settings ***
Documentation     R01 — refacturation des actes de laboratoire arrivés après la facturation du séjour.
Library           tools.robots.libraries.billing.LabBilling    ${INPUTS_FILE}    ${ARTIFACTS_DIR}    ${SAMPLES_DIR}

*** Tasks ***
Refacturer les actes arrivés après facturation
    ${acts}=    Read Lab Acts Export
    ${late}=    Select Acts Arrived After Billing    ${acts}
    Write Invoice Lines    ${late}
