"""The policy editor's validation texts in French and English (part of `server.messages.MESSAGES`).

Used by `policy.py` and `policy_issues.py`; kept apart so that the catalogue module stays small.
"""

from __future__ import annotations

POLICY_TEXTS: dict[str, dict[str, str]] = {
    "policy.at_line_path": {
        "fr": "Ligne {line}, {path} : {message}",
        "en": "Line {line}, {path}: {message}",
    },
    "policy.at_line": {"fr": "Ligne {line} : {message}", "en": "Line {line}: {message}"},
    "policy.at_path": {"fr": "{path} : {message}", "en": "{path}: {message}"},
    "policy.health_needs_hds": {
        "fr": "le modèle « {model} » reçoit des données de santé : il doit être chez un hébergeur"
        " certifié HDS ou sur les serveurs de l'établissement",
        "en": "model « {model} » receives health data: it must run at a certified HDS host or on premises",
    },
    "policy.unknown_provider": {
        "fr": "le modèle « {model} » désigne un fournisseur « {provider} » qui n'est pas déclaré",
        "en": "model « {model} » names a provider « {provider} » that is not declared",
    },
    "policy.unknown_fallback": {
        "fr": "le modèle de repli « {name} » (de « {model} ») n'existe pas dans le catalogue",
        "en": "fallback model « {name} » (of « {model} ») is not in the catalogue",
    },
    "policy.unknown_model": {
        "fr": "la règle « {rule} » cite le modèle « {name} », qui n'existe pas dans le catalogue"
        " (utilisez les identifiants du catalogue)",
        "en": "rule « {rule} » names model « {name} », which is not in the catalogue (use catalogue ids)",
    },
    "policy.rule_twice": {
        "fr": "la règle « {rule} » est déclarée deux fois",
        "en": "rule « {rule} » is declared twice",
    },
    "policy.temperature_order": {
        "fr": "temperature_min est supérieure à temperature_max",
        "en": "temperature_min is above temperature_max",
    },
    "policy.name_clash": {
        "fr": "le nom « {name} » est déjà pris par plusieurs modèles ({models})",
        "en": "name « {name} » is used by several models ({models})",
    },
    "policy.not_mapping": {
        "fr": "le document doit être un dictionnaire YAML (des lignes « clé : valeur »)",
        "en": "the document must be a YAML mapping (« key: value » lines)",
    },
    "policy.missing": {"fr": "champ obligatoire manquant", "en": "required field missing"},
    "policy.extra_forbidden": {
        "fr": "champ « {field} » inconnu : il n'est pas prévu à cet endroit",
        "en": "unknown field « {field} »: it is not expected here",
    },
    "policy.string_type": {"fr": "un texte est attendu", "en": "a text is expected"},
    "policy.int_type": {"fr": "un nombre entier est attendu", "en": "a whole number is expected"},
    "policy.float_type": {"fr": "un nombre est attendu", "en": "a number is expected"},
    "policy.bool_type": {"fr": "true ou false est attendu", "en": "true or false is expected"},
    "policy.enum": {
        "fr": "valeur « {value} » non reconnue : valeurs possibles {expected}",
        "en": "value « {value} » not recognised: possible values {expected}",
    },
    "policy.list_type": {"fr": "une liste est attendue", "en": "a list is expected"},
    "policy.dict_type": {
        "fr": "un dictionnaire (des lignes « clé : valeur ») est attendu",
        "en": "a mapping (« key: value » lines) is expected",
    },
    "policy.greater_than": {"fr": "la valeur doit dépasser {gt}", "en": "the value must be above {gt}"},
    "policy.greater_than_equal": {
        "fr": "la valeur doit être au moins {ge}",
        "en": "the value must be at least {ge}",
    },
    "policy.less_than": {
        "fr": "la valeur doit être inférieure à {lt}",
        "en": "the value must be below {lt}",
    },
    "policy.less_than_equal": {
        "fr": "la valeur doit être au plus {le}",
        "en": "the value must be at most {le}",
    },
    "policy.too_short": {
        "fr": "au moins {min_length} élément(s) attendu(s)",
        "en": "at least {min_length} item(s) expected",
    },
    "policy.too_long": {
        "fr": "au plus {max_length} élément(s) permis",
        "en": "at most {max_length} item(s) allowed",
    },
    "policy.string_too_short": {
        "fr": "au moins {min_length} caractère(s) attendu(s)",
        "en": "at least {min_length} character(s) expected",
    },
    "policy.string_too_long": {
        "fr": "au plus {max_length} caractères permis",
        "en": "at most {max_length} characters allowed",
    },
    "policy.pattern": {
        "fr": "nom « {value} » invalide : minuscules, chiffres et . _ : / @ - seulement",
        "en": "invalid name « {value} »: lower-case letters, digits and . _ : / @ - only",
    },
    "policy.invalid": {"fr": "valeur invalide ({reason})", "en": "invalid value ({reason})"},
    "policy.yaml.colon_expected": {
        "fr": "YAML illisible : « : » attendu après la clé",
        "en": "unreadable YAML: « : » expected after the key",
    },
    "policy.yaml.colon_unexpected": {
        "fr": "YAML illisible : « : » inattendu ici (indentation ou guillemets manquants ?)",
        "en": "unreadable YAML: « : » not expected here (indentation or missing quotes?)",
    },
    "policy.yaml.tab": {
        "fr": "YAML illisible : tabulation interdite, indentez avec des espaces",
        "en": "unreadable YAML: tabs are not allowed, indent with spaces",
    },
    "policy.yaml.bad_character": {
        "fr": "YAML illisible : caractère inattendu",
        "en": "unreadable YAML: unexpected character",
    },
    "policy.yaml.indentation": {
        "fr": "YAML illisible : indentation incohérente",
        "en": "unreadable YAML: inconsistent indentation",
    },
    "policy.yaml.unclosed_list": {
        "fr": "YAML illisible : liste non fermée (« , » ou « ] » attendu)",
        "en": "unreadable YAML: list not closed (« , » or « ] » expected)",
    },
    "policy.yaml.unclosed_mapping": {
        "fr": "YAML illisible : dictionnaire non fermé (« , » ou « }} » attendu)",
        "en": "unreadable YAML: mapping not closed (« , » or « }} » expected)",
    },
    "policy.yaml.unclosed_quote": {
        "fr": "YAML illisible : le document se termine trop tôt (guillemet non fermé ?)",
        "en": "unreadable YAML: the document ends too early (unclosed quote?)",
    },
    "policy.yaml.other": {
        "fr": "YAML illisible (analyseur : {problem})",
        "en": "unreadable YAML (parser: {problem})",
    },
    "policy.invalid_saved": {
        "fr": "La politique proposée est invalide : rien n'a été enregistré.",
        "en": "The proposed policy is invalid: nothing was saved.",
    },
}
