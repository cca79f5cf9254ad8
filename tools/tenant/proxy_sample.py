r"""A fictional month of the hospital's web-proxy log (Squid's native `access.log`), made deterministically.

The shape follows what the hospital's proxy showed (DOMAIN.md): public chatbots are used heavily,
ChatGPT far ahead (about three quarters of the AI accesses), then Perplexity, Copilot, Claude, Le Chat…;
medical interns first, then other physicians, pharmacy interns, care-unit managers and medical
secretaries. Most lines are ordinary traffic (intranet, health references, office suites). A few
lines are unauthenticated (`-`), written with the Windows domain (`CHRU\\account`), from accounts
missing from the directory (contractors), or broken (cut short, garbled numbers): a report must count
and skip those, never stop on them.

The file is large (≈ 107 000 lines, 13 MB), so it is not in the repository: `write_sample_log` makes
it at first use (the same bytes on every machine: a seeded generator, fixed dates).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tools.tenant.directory import User, load_directory

SEED = 4242
FIRST_DAY = date(2026, 11, 2)  # a Monday: four whole weeks
DAYS = 28
PARIS = ZoneInfo("Europe/Paris")
FILE_NAME = "proxy-access-2026-11.log"

# Share of each category's people who use public AI at all, and their mean AI requests per workday.
_PROPENSITY: dict[str, tuple[float, float]] = {
    "Internes en médecine": (0.85, 9.0),
    "Médecins": (0.5, 4.0),
    "Internes en pharmacie": (0.8, 7.0),
    "Pharmaciens": (0.45, 3.0),
    "Cadres de santé": (0.6, 4.0),
    "Secrétariat médical": (0.55, 4.5),
    "Infirmiers": (0.2, 2.0),
    "Préparateurs en pharmacie": (0.2, 1.5),
    "Techniciens de laboratoire": (0.2, 1.5),
    "Gestionnaires RH": (0.35, 2.5),
    "Gestionnaires facturation": (0.3, 2.0),
    "Ingénieurs et techniciens": (0.6, 5.0),
    "Secrétariat administratif": (0.5, 3.0),
    "Encadrement administratif": (0.4, 2.0),
    "Direction": (0.3, 1.0),
}
# Host, weight: the AI services people reach (weights of DOMAIN.md's proxy figures).
_AI_HOSTS: tuple[tuple[str, float], ...] = (
    ("chatgpt.com", 70.0),
    ("chat.openai.com", 3.0),
    ("cdn.oaistatic.com", 2.0),
    ("www.perplexity.ai", 7.0),
    ("copilot.microsoft.com", 6.0),
    ("claude.ai", 4.0),
    ("chat.mistral.ai", 3.0),
    ("gemini.google.com", 2.0),
    ("www.deepl.com", 1.5),
    ("chat.deepseek.com", 0.8),
    ("www.quillbot.com", 0.4),
    ("poe.com", 0.3),
)
_OTHER_HOSTS: tuple[str, ...] = (
    "intranet.chru-exemple.fr", "messagerie.chru-exemple.fr", "www.has-sante.fr", "www.legifrance.gouv.fr",
    "www.ameli.fr", "www.vidal.fr", "pubmed.ncbi.nlm.nih.gov", "www.google.com", "www.google.fr",
    "outlook.office365.com", "teams.microsoft.com", "fr.wikipedia.org", "www.doctolib.fr",
    "www.service-public.fr", "ansm.sante.fr", "www.santepubliquefrance.fr", "www.lemonde.fr",
    "www.bing.com", "login.microsoftonline.com", "www.youtube.com", "www.sncf-connect.com",
    "www.meteofrance.com", "update.microsoft.com", "www.francetravail.fr", "www.em-consulte.com",
)  # fmt: skip
_CONTRACTORS = ("ext.prestataire1", "ext.prestataire2", "ext.stagiaire3")
_TYPES = ("text/html", "application/json", "text/event-stream", "-")


def _people(users: list[User], rng: random.Random) -> list[tuple[str, str, float]]:
    """(account, client address, AI requests per workday) of each person who uses public AI."""
    chosen = []
    for index, user in enumerate(users):
        share, rate = _PROPENSITY.get(user.job_category, (0.2, 1.0))
        if rng.random() < share:
            address = f"10.20.{index // 250}.{index % 250 + 2}"
            chosen.append((user.account_name, address, rng.uniform(0.3, 1.7) * rate))
    for number, account in enumerate(_CONTRACTORS):
        chosen.append((account, f"10.30.0.{number + 2}", 3.0))
    return chosen


def _moment(midnight: float, rng: random.Random) -> float:
    hour = min(max(rng.gauss(13.0, 3.0), 7.0), 21.9)
    return midnight + hour * 3600.0  # no change of offset during the day in November


def _line(moment: float, client: str, user: str, host: str, rng: random.Random) -> str:
    elapsed = rng.randint(40, 90_000)
    size = rng.randint(400, 180_000)
    if rng.random() < 0.85:
        method, target, code, kind = "CONNECT", f"{host}:443", "TCP_TUNNEL/200", "-"
    else:
        method, target, code = "GET", f"http://{host}/", rng.choice(("TCP_MISS/200", "TCP_HIT/200"))
        kind = rng.choice(_TYPES)
    peer = "HIER_DIRECT/203.0.113." + str(rng.randint(1, 254))
    return f"{moment:.3f} {elapsed:6d} {client} {code} {size} {method} {target} {user} {peer} {kind}"


def _user_field(account: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.02:
        return "-"
    if draw < 0.30:
        return f"CHRU\\{account}"
    return account


def _broken(line: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return line[: rng.randint(10, 40)]
    fields = line.split()
    fields[4] = "NaN"
    return " ".join(fields)


def sample_lines(users: list[User] | None = None) -> list[str]:
    """Every line of the sample log, in time order."""
    rng = random.Random(SEED)
    people = _people(users if users is not None else load_directory().users, rng)
    lines: list[tuple[float, str]] = []
    hosts, weights = zip(*_AI_HOSTS, strict=True)
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        weekend = day.weekday() >= 5
        growth = 1.0 + 0.08 * (offset // 7)  # use grows week after week
        midnight = datetime.combine(day, datetime.min.time(), PARIS).timestamp()
        for account, client, rate in people:
            mean = rate * growth * (0.15 if weekend else 1.0)
            count = int(rng.expovariate(1.0 / mean) + 0.5) if mean > 0 else 0
            for host in rng.choices(hosts, weights, k=count):
                moment = _moment(midnight, rng)
                lines.append((moment, _line(moment, client, _user_field(account, rng), host, rng)))
            for _ in range(int(count * 1.6) + rng.randint(0, 5)):
                moment = _moment(midnight, rng)
                host = rng.choice(_OTHER_HOSTS)
                lines.append((moment, _line(moment, client, _user_field(account, rng), host, rng)))
    lines.sort(key=lambda item: item[0])
    text = [line for _, line in lines]
    for index in range(500, len(text), 997):  # about one line in a thousand is broken
        text[index] = _broken(text[index], rng)
    return text


def write_sample_log(folder: Path) -> Path:
    """The sample log in `folder`, written if it is not there yet; its path."""
    path = folder / FILE_NAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text("\n".join(sample_lines()) + "\n", encoding="utf-8")
        partial.replace(path)
    return path
