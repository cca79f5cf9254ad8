"""Robots: catalogue administration, approvals bound to the exact call, jobs and their artifacts."""
