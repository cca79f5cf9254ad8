"""The administration's texts in French and English (part of `server.messages.MESSAGES`)."""

from __future__ import annotations

ADMIN_TEXTS: dict[str, dict[str, str]] = {
    "admin.policy_conflict": {
        "fr": "La politique a été modifiée entre-temps (version {latest} en vigueur) : rechargez-la et"
        " refaites votre modification.",
        "en": "The policy was changed in the meantime (version {latest} in force): reload it and make"
        " your change again.",
    },
}
