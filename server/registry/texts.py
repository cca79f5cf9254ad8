"""The tool registry's administration texts in French and English (part of `server.messages.MESSAGES`).

Used by `service.py`, `inspection.py`, `declaration.py`, `launch.py`, `connect.py`, `sandbox.py`,
`checks.py` and `scanning.py`. What is stored (a server's health detail, a tool's findings) keeps its
French sentence beside its id and parameters, and is shown in the reader's language (`views.py`).
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
    # A tool's review findings (checks.py), stored with the tool and shown to reviewers.
    "registry.finding_too_many_tools": {
        "fr": "{count} outils (au plus {limit}).",
        "en": "{count} tools (at most {limit}).",
    },
    "registry.finding_duplicate_tool": {
        "fr": "L'outil « {name} » est déclaré deux fois.",
        "en": "Tool « {name} » is declared twice.",
    },
    "registry.finding_name_taken": {
        "fr": "Le nom « {name} » est déjà pris par le serveur « {server} ».",
        "en": "The name « {name} » is already taken by server « {server} ».",
    },
    "registry.finding_invalid_name": {
        "fr": "Nom d'outil invalide : lettres, chiffres, « _ » ou « - », 64 au plus.",
        "en": "Invalid tool name: letters, digits, « _ » or « - », 64 at most.",
    },
    "registry.finding_no_description": {
        "fr": "L'outil n'a pas de description : le modèle ne saura pas quand l'utiliser.",
        "en": "The tool has no description: the model will not know when to use it.",
    },
    "registry.finding_description_too_large": {
        "fr": "Description de {size} caractères (au plus {limit}).",
        "en": "Description of {size} characters (at most {limit}).",
    },
    "registry.finding_no_input_schema": {"fr": "Schéma d'entrée absent.", "en": "Input schema missing."},
    "registry.finding_schema_not_json_object": {
        "fr": "Le schéma {label} n'est pas un objet JSON.",
        "en": "The {label} schema is not a JSON object.",
    },
    "registry.finding_schema_too_large": {
        "fr": "Schéma {label} de {size} octets (au plus {limit}).",
        "en": "The {label} schema is {size} bytes (at most {limit}).",
    },
    "registry.finding_schema_invalid": {
        "fr": "Schéma {label} invalide (JSON Schema 2020-12, {path}) : {error}",
        "en": "Invalid {label} schema (JSON Schema 2020-12, {path}): {error}",
    },
    "registry.finding_schema_not_object": {
        "fr": "Le schéma {label} doit décrire un objet (« type »: « object »).",
        "en": "The {label} schema must describe an object (« type »: « object »).",
    },
    "registry.schema_input": {"fr": "d'entrée", "en": "input"},
    "registry.schema_output": {"fr": "de sortie", "en": "output"},
    "registry.schema_root": {"fr": "racine", "en": "root"},
    "registry.finding_text": {"fr": "Le texte {reason}.", "en": "The text {reason}."},
    # What the description scanner found in a text (scanning.py), the reason of a `finding_text`.
    "registry.scan_hidden_characters": {
        "fr": "contient des caractères invisibles ou de contrôle ({codes}) : un texte caché peut viser le"
        " modèle",
        "en": "contains invisible or control characters ({codes}): hidden text may target the model",
    },
    "registry.scan_homoglyphs": {
        "fr": "mêle des lettres d'alphabets différents qui se ressemblent (mots déguisés)",
        "en": "mixes look-alike letters of different alphabets (disguised words)",
    },
    "registry.scan_hidden_comment": {
        "fr": "contient un commentaire, invisible à l'affichage mais lu par le modèle",
        "en": "contains a comment, invisible on display but read by the model",
    },
    "registry.scan_spaced_letters": {
        "fr": "contient des mots aux lettres espacées, une façon de cacher un texte au filtrage",
        "en": "contains words with spaced-out letters, a way to hide text from filtering",
    },
    "registry.scan_encoded_text": {
        "fr": "contient du texte encodé (base64, hexadécimal…)",
        "en": "contains encoded text (base64, hexadecimal…)",
    },
    "registry.scan_ignore_instructions": {
        "fr": "demande au modèle d'ignorer ses consignes ou se fait passer pour elles",
        "en": "asks the model to ignore its instructions or poses as them",
    },
    "registry.scan_calls_other_tools": {
        "fr": "demande au modèle d'appeler d'autres outils ou d'agir avant de répondre",
        "en": "asks the model to call other tools or to act before answering",
    },
    "registry.scan_concealment": {
        "fr": "demande de cacher quelque chose à l'utilisateur",
        "en": "asks to hide something from the user",
    },
    "registry.scan_exfiltration": {
        "fr": "demande de faire sortir le contenu de la conversation ou des documents",
        "en": "asks to carry the content of the conversation or of documents out",
    },
    "registry.scan_asks_for_secrets": {
        "fr": "mentionne des secrets ou des fichiers sensibles",
        "en": "mentions secrets or sensitive files",
    },
    "registry.scan_markdown_image": {
        "fr": "contient une image Markdown, qui ferait sortir des données à l'affichage",
        "en": "contains a Markdown image, which would carry data out when displayed",
    },
    "registry.scan_exfiltration_link": {
        "fr": "contient un lien avec paramètres ou à compléter, qui peut faire sortir des données",
        "en": "contains a link with parameters or to be filled in, which can carry data out",
    },
    "registry.scan_exfiltration_address": {
        "fr": "demande d'envoyer quelque chose à une adresse ou un service",
        "en": "asks to send something to an address or a service",
    },
}
