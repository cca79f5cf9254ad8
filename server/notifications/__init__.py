"""What waits for the signed-in user: approvals to give, confirmations to decide, jobs finished."""
