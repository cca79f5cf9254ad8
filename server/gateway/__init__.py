"""The institutional LLM gateway: OpenAI-compatible `/v1` with model catalogue, policy and metering."""
