"""French health-data detectors of the gateway: identifiers, dates of birth, people, vocabulary."""
