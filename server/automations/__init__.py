"""Automations: mail triggers and schedules that launch robots on behalf of their owner."""
