"""What every request meets first: size limits, text checks, and the security headers of every answer."""
