"""The tool registry's administration texts in French and English (part of `server.messages.MESSAGES`).

Used by `service.py`, `inspection.py`, `declaration.py`, `launch.py`, `connect.py` and `sandbox.py`.
What is stored (a server's health detail, a tool's findings) stays in French, as it was decided.
"""

from __future__ import annotations

REGISTRY_TEXTS: dict[str, dict[str, str]] = {
    # Review and management (service.py, inspection.py).
    "registry.self_approval": {
        "fr": "Vous avez enregistré ce serveur : un autre administrateur doit l'approuver.",
        "en": "You registered this server: another administrator must approve it.",
    },
    "registry.self_inspection": {
        "fr": "Vous avez enregistré ce serveur : un autre administrateur doit l'inspecter.",
        "en": "You registered this server: another administrator must inspect it.",
    },
    "registry.not_inspected": {
        "fr": "Ce serveur n'a pas encore été inspecté : lancez l'inspection, lisez ses outils, puis"
        " approuvez-les.",
        "en": "This server has not been inspected yet: run the inspection, read its tools, then approve"
        " them.",
    },
    "registry.not_pending_review": {
        "fr": "Seul un serveur en attente de revue s'inspecte ; un serveur actif se vérifie (« check »).",
        "en": "Only a server awaiting review is inspected; an active server is checked (« check »).",
    },
    "registry.unknown_tools": {
        "fr": "Outils inconnus de ce serveur : {tools}.",
        "en": "Tools unknown to this server: {tools}.",
    },
    "registry.builtin_server": {
        "fr": "Un serveur intégré ne peut pas être retiré : suspendez-le.",
        "en": "A built-in server cannot be removed: suspend it.",
    },
    "registry.no_such_tool": {
        "fr": "Le serveur « {server} » n'a pas d'outil « {tool} ».",
        "en": "Server « {server} » has no tool « {tool} ».",
    },
    "registry.not_read_only": {
        "fr": "Seul un outil jugé en lecture seule à l'approbation peut se passer de confirmation : {tools}."
        " Approuvez-le de nouveau en le marquant ainsi.",
        "en": "Only a tool judged read-only at approval may do without confirmation: {tools}. Approve it"
        " again marking it so.",
    },
    "registry.admin_or_author": {
        "fr": "Seuls un administrateur IA ou l'auteur de l'enregistrement peuvent le faire.",
        "en": "Only an AI administrator or the author of the registration may do this.",
    },
    "registry.server_not_found": {
        "fr": "Aucun serveur d'outils « {name} » dans le registre.",
        "en": "No tool server « {name} » in the registry.",
    },
    "registry.name_taken": {
        "fr": "Le nom « {name} » est déjà pris dans le registre.",
        "en": "The name « {name} » is already taken in the registry.",
    },
    "registry.invalid_contract": {
        "fr": "Le contrat des outils est invalide : le serveur reste en attente. {findings}",
        "en": "The tools' contract is invalid: the server stays pending. {findings}",
    },
    "registry.no_tools": {"fr": "Ce serveur ne propose aucun outil.", "en": "This server offers no tool."},
    # Declarations (declaration.py, launch.py, sandbox.py).
    "registry.invalid_url": {
        "fr": "L'adresse doit être une URL http(s) complète.",
        "en": "The address must be a full http(s) URL.",
    },
    "registry.credentials_in_url": {
        "fr": "Pas d'identifiants dans l'URL : passez le jeton par « bearer » (il sera chiffré).",
        "en": "No credentials in the URL: pass the token as « bearer » (it will be encrypted).",
    },
    "registry.package_changed": {
        "fr": "Les fichiers installés du paquet « {package} » ne sont plus ceux inspectés : le serveur doit"
        " être inspecté et approuvé de nouveau.",
        "en": "The installed files of package « {package} » are no longer those inspected: the server must"
        " be inspected and approved again.",
    },
    "registry.stdio_runner_missing": {
        "fr": "Les serveurs d'outils stdio ne s'exécutent pas dans le serveur web : l'exécuteur d'outils"
        " (`ariane runner`, ARIANE_REGISTRY_RUNNER_URL) n'est pas configuré.",
        "en": "Stdio tool servers do not run in the web server: the tool runner (`ariane runner`,"
        " ARIANE_REGISTRY_RUNNER_URL) is not configured.",
    },
    "registry.no_entry_point": {
        "fr": "Le paquet « {name} » {version} n'a pas un point d'entrée unique (console_scripts) : il ne"
        " peut pas être démarré comme serveur MCP.",
        "en": "Package « {name} » {version} does not have a single entry point (console_scripts): it"
        " cannot be started as an MCP server.",
    },
    "registry.command_not_allowed": {
        "fr": "La commande « {command} » n'est pas autorisée : décrivez le serveur par son paquet et sa"
        " version, ou demandez à un administrateur de l'ajouter aux commandes autorisées"
        " (ARIANE_REGISTRY_COMMANDS).",
        "en": "Command « {command} » is not allowed: describe the server by its package and version, or"
        " ask an administrator to add it to the allowed commands (ARIANE_REGISTRY_COMMANDS).",
    },
    "registry.package_not_installed": {
        "fr": "Le paquet « {name} » {version} n'est pas installé dans l'environnement d'Ariane{found} :"
        " l'exploitant l'installe après revue (pip install '{name}=={version}'), puis relancez"
        " l'inspection.",
        "en": "Package « {name} » {version} is not installed in Ariane's environment{found}: the operator"
        " installs it after review (pip install '{name}=={version}'), then run the inspection again.",
    },
    "registry.installed_version": {
        "fr": " (version installée : {version})",
        "en": " (installed version: {version})",
    },
    "registry.sandbox_unavailable": {
        "fr": "Le bac à sable des serveurs d'outils (bubblewrap) ne fonctionne pas sur cette machine :"
        " {problem}. Aucun serveur stdio ne peut démarrer.",
        "en": "The tool servers' sandbox (bubblewrap) does not work on this machine: {problem}. No stdio"
        " server can start.",
    },
    # How a server is isolated, shown to reviewers (views.py, sandbox.py).
    "registry.isolation_builtin": {
        "fr": "code d'Ariane, revu avec lui",
        "en": "Ariane's code, reviewed with it",
    },
    "registry.isolation_http": {
        "fr": "serveur distant : rien ne s'exécute chez Ariane (adresses internes refusées)",
        "en": "remote server: nothing runs at Ariane (internal addresses refused)",
    },
    "registry.isolation_none": {
        "fr": "aucune isolation (environnement réduit seulement) : ARIANE_REGISTRY_SANDBOX=none",
        "en": "no isolation (reduced environment only): ARIANE_REGISTRY_SANDBOX=none",
    },
    "registry.isolation_bubblewrap": {
        "fr": "bubblewrap, {who}, système en lecture seule, sans réseau sauf autorisation",
        "en": "bubblewrap, {who}, read-only system, no network unless allowed",
    },
    "registry.isolation_uid": {"fr": "utilisateur {uid}", "en": "user {uid}"},
    "registry.isolation_namespace": {
        "fr": "utilisateur d'Ariane (espace de noms)",
        "en": "Ariane's user (namespace)",
    },
    # Reaching a server (connect.py); what a stdio declaration names (declaration.py).
    "registry.label_package": {"fr": "paquet {package} {version}", "en": "package {package} {version}"},
    "registry.label_command": {"fr": "commande autorisée {command}", "en": "allowed command {command}"},
    # A registered server a run cannot use (runtime.py), shown in the tool card.
    "registry.runtime_unknown": {
        "fr": "Serveur d'outils « {server} » inconnu du registre.",
        "en": "Tool server « {server} » is not in the registry.",
    },
    "registry.runtime_set_aside": {
        "fr": "Le serveur d'outils « {server} » est momentanément écarté.",
        "en": "Tool server « {server} » is set aside for the moment.",
    },
    "registry.server_unreachable": {
        "fr": "Serveur MCP injoignable ({server}) : il n'a pas pu être démarré ou joint, ou a interrompu"
        " l'échange.",
        "en": "MCP server unreachable ({server}): it could not be started or reached, or it broke off the"
        " exchange.",
    },
    "registry.server_timeout": {
        "fr": "Le serveur MCP ({server}) n'a pas répondu dans les {seconds} secondes : rien n'a été"
        " enregistré.",
        "en": "The MCP server ({server}) did not answer within {seconds} seconds: nothing was recorded.",
    },
    "registry.server_error": {
        "fr": "Le serveur MCP ({server}) a répondu par une erreur : {error}.",
        "en": "The MCP server ({server}) answered with an error: {error}.",
    },
}
