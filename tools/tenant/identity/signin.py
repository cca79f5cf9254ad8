"""The sign-in page: pick a user of the fictional directory (there are no passwords here)."""

from __future__ import annotations

from html import escape

from tools.tenant.directory import Directory

_STYLE = """
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f5f5f5;margin:0;
display:flex;justify-content:center}
main{background:#fff;margin:48px 16px;padding:32px;max-width:520px;width:100%;box-shadow:0 2px 8px #0002}
h1{font-size:24px;font-weight:600;margin:0 0 4px}p{color:#424242}
ul{list-style:none;padding:0;margin:16px 0 0}li{margin:0 0 8px}
button{width:100%;text-align:left;padding:10px 14px;border:1px solid #d1d1d1;background:#fff;cursor:pointer;
font:inherit;border-radius:4px}
button:hover,button:focus-visible{border-color:#5b5fc7;outline:2px solid #5b5fc7}
.name{font-weight:600;display:block}.title{color:#616161;font-size:14px}
.error{background:#fde7e9;color:#a4262c;padding:8px 12px;border-radius:4px}
"""


def render_signin_page(directory: Directory, params: dict[str, str], error: str | None = None) -> str:
    """HTML of the account picker; each user is a submit button carrying `login_hint`."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in params.items()
    )
    buttons = "".join(
        f'<li><button type="submit" name="login_hint" value="{escape(user.mail)}">'
        f'<span class="name">{escape(user.display_name)}</span>'
        f'<span class="title">{escape(user.job_title)} · {escape(user.mail)}</span></button></li>'
        for user in sorted(directory.users, key=lambda user: (user.surname, user.given_name))
        if user.groups  # Ariane's users; the rest of the hospital's staff has no access to offer
    )
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    org = escape(directory.tenant.display_name)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Connexion — {org}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>Connexion — {org}</h1>"
        "<p>Annuaire fictif de démonstration : choisissez le compte avec lequel vous connecter.</p>"
        f'{alert}<form method="post">{hidden}<ul>{buttons}</ul></form></main></body></html>'
    )


def render_error_page(directory: Directory, detail: str) -> str:
    """HTML shown when the sign-in request itself is wrong: no account is offered."""
    org = escape(directory.tenant.display_name)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>Connexion impossible — {org}</title><style>{_STYLE}</style></head><body><main>"
        "<h1>Connexion impossible</h1>"
        "<p>L'application qui vous a envoyé ici a formulé une demande de connexion invalide. "
        "Revenez à l'application et réessayez ; si le problème persiste, contactez le support.</p>"
        f'<p class="error" role="alert">{escape(detail)}</p></main></body></html>'
    )
