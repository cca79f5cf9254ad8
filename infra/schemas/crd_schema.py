"""JSON Schemas (strict) of the custom resources Ariane's manifests use, from their CRDs.

`python infra/schemas/crd_schema.py CRD.yaml…` writes `infra/schemas/<group>/<kind>_<version>.json` for
each version of each CRD given (the operator's release files, see README.md beside this file).
Strict as kubeconform's `-strict`: an object that lists its properties admits no others, unless
the CRD keeps unknown fields.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def strict(node: Any) -> Any:
    """The OpenAPI v3 schema `node` as a JSON Schema that refuses unknown properties."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: strict(value) for key, value in node.items() if not key.startswith("x-kubernetes-")}
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.pop("nullable", False) and "type" in out:
        out["type"] = [out["type"], "null"]
    keeps_unknown = node.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in out and "additionalProperties" not in out and not keeps_unknown:
        out["additionalProperties"] = False
    return out


def main() -> None:
    """Write one schema per CRD version."""
    for crd_file in sys.argv[1:]:
        crd = yaml.safe_load(Path(crd_file).read_text(encoding="utf-8"))
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict(version["schema"]["openAPIV3Schema"])
            schema["properties"]["apiVersion"] = {"enum": [f"{group}/{version['name']}"]}
            schema["properties"]["kind"] = {"enum": [kind]}
            schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind", "metadata"})
            schema["$schema"] = "http://json-schema.org/draft-07/schema#"
            target = HERE / group / f"{kind.lower()}_{version['name']}.json"
            target.parent.mkdir(exist_ok=True)
            target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
