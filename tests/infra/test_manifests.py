"""infra/ validated offline: the Kustomize overlays rendered and checked against Kubernetes' schemas
(strict) and the vendored CRD schemas, the compose file against the Compose Specification, the
Dockerfile linted; and what an operator relies on in them (non-root, read-only, probes, budgets)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
BIN = Path(sys.executable).parent
OVERLAYS = ["overlays/sandbox", "overlays/production"]  # the base alone is never deployed
# The oldest and the newest Kubernetes minor versions the manifests are checked against.
KUBERNETES = ["1.30.0", "1.35.0"]
CRD_SCHEMAS = {("postgresql.cnpg.io/v1", "Cluster"): INFRA / "schemas/postgresql.cnpg.io/cluster_v1.json"}


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=120, check=False
    )


def render(overlay: str) -> str:
    rendered = run(BIN / "kubectl", "kustomize", INFRA / "k8s" / overlay)
    assert rendered.returncode == 0, rendered.stderr
    return rendered.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendered")
    files = {}
    for overlay in OVERLAYS:
        files[overlay] = folder / (overlay.replace("/", "-") + ".yaml")
        files[overlay].write_text(render(overlay), encoding="utf-8")
    return files


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def pod_specs(docs: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in docs:
        if doc["kind"] in {"Deployment", "StatefulSet", "Job"}:
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


@pytest.mark.parametrize("version", KUBERNETES)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_manifest_validates_strictly(
    rendered: dict[str, Path], overlay: str, version: str, tmp_path: Path
) -> None:
    checked = run(BIN / "kubernetes-validate", "--strict", "--quiet", "-k", version, rendered[overlay])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # kubernetes-validate only warns about kinds it has no schema for: each must be a vendored CRD.
    unknown = {
        (doc["apiVersion"], doc["kind"])
        for doc in documents(rendered[overlay])
        if f"kind {doc['kind']} with api version {doc['apiVersion']}" in checked.stdout
    }
    assert unknown == {key for key in CRD_SCHEMAS if key in unknown}, checked.stdout
    assert unknown, "the CloudNativePG Cluster is rendered and needs its CRD schema"
    for (api_version, kind), schema in CRD_SCHEMAS.items():
        for index, doc in enumerate(
            d for d in documents(rendered[overlay]) if (d["apiVersion"], d["kind"]) == (api_version, kind)
        ):
            instance = tmp_path / f"{kind}-{index}.yaml"
            instance.write_text(yaml.safe_dump(doc), encoding="utf-8")
            custom = run(BIN / "check-jsonschema", "--schemafile", schema, instance)
            assert custom.returncode == 0, custom.stdout + custom.stderr


def test_a_mistake_in_a_manifest_or_a_custom_resource_is_caught(tmp_path: Path) -> None:
    docs = documents_of(render("overlays/production"))
    serve = next(
        doc for doc in docs if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "ariane-serve"
    )
    serve["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {"httpGet": {"path": "/readyz"}}
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(yaml.safe_dump(serve), encoding="utf-8")
    cluster = next(doc for doc in docs if doc["kind"] == "Cluster")
    cluster["spec"]["instance"] = 3
    wrong_cluster = tmp_path / "cluster.yaml"
    wrong_cluster.write_text(yaml.safe_dump(cluster), encoding="utf-8")

    checked = run(BIN / "kubernetes-validate", "--strict", "--quiet", "-k", KUBERNETES[-1], wrong)
    custom = run(
        BIN / "check-jsonschema",
        "--schemafile",
        CRD_SCHEMAS[("postgresql.cnpg.io/v1", "Cluster")],
        wrong_cluster,
    )

    assert (checked.returncode, "'readinessprobe' was unexpected" in checked.stdout) == (1, True)
    assert (custom.returncode, "'instance' was unexpected" in custom.stdout) == (1, True)


def documents_of(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_the_compose_file_follows_the_compose_specification(tmp_path: Path) -> None:
    checked = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", INFRA / "compose.yaml")
    compose = yaml.safe_load((INFRA / "compose.yaml").read_text(encoding="utf-8"))
    compose["services"]["serve"]["replica"] = 2  # a typo the specification refuses
    wrong = tmp_path / "compose.yaml"
    wrong.write_text(yaml.safe_dump(compose), encoding="utf-8")
    refused = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", wrong)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert refused.returncode == 1, refused.stdout


def test_the_compose_file_runs_two_api_replicas_behind_the_proxy_and_every_part() -> None:
    compose = yaml.safe_load((INFRA / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]

    assert set(services) == {
        "postgres",
        "migrate",
        "tenant",
        "serve",
        "worker",
        "runner",
        "embedder",
        "proxy",
        "collector",
        "jaeger",
    }
    assert services["serve"]["deploy"]["replicas"] == 2
    assert services["proxy"]["depends_on"]["serve"]["condition"] == "service_healthy"
    assert "server serve:8000" in (INFRA / "compose/nginx.conf").read_text(encoding="utf-8")
    for name in ("migrate", "tenant", "serve", "worker", "runner", "embedder", "proxy"):
        assert services[name]["read_only"] is True, name
    assert services["serve"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_dockerfile_passes_hadolint() -> None:
    linted = run(BIN / "hadolint", "--failure-threshold", "info", INFRA / "Dockerfile")

    assert linted.returncode == 0, linted.stdout + linted.stderr


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_non_root_read_only_with_requests_and_limits(
    rendered: dict[str, Path], overlay: str
) -> None:
    for name, spec in pod_specs(documents(rendered[overlay])):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            security = container["securityContext"]
            assert (security["readOnlyRootFilesystem"], security["allowPrivilegeEscalation"]) == (
                True,
                False,
            ), name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
            assert not container["image"].endswith(":latest"), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_api_is_probed_on_healthz_and_readyz_and_every_replicated_part_has_a_budget(
    rendered: dict[str, Path], overlay: str
) -> None:
    docs = documents(rendered[overlay])
    serve = dict(pod_specs(docs))["ariane-serve"]["containers"][0]
    runner = dict(pod_specs(docs))["ariane-runner"]["containers"][0]
    budgets = {
        doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for doc in docs
        if doc["kind"] == "PodDisruptionBudget"
    }
    scaled = {
        doc["spec"]["scaleTargetRef"]["name"] for doc in docs if doc["kind"] == "HorizontalPodAutoscaler"
    }
    policies = [doc for doc in docs if doc["kind"] == "NetworkPolicy"]

    assert (serve["livenessProbe"]["httpGet"]["path"], serve["readinessProbe"]["httpGet"]["path"]) == (
        "/healthz",
        "/readyz",
    )
    assert budgets >= {"serve", "worker", "runner", "embedder"}
    assert (runner["args"], runner["readinessProbe"]["httpGet"]["path"]) == (["runner"], "/healthz")
    assert scaled == {"ariane-serve", "ariane-embedder"}
    deny_all = [
        doc
        for doc in policies
        if doc["spec"]["podSelector"] == {} and "ingress" not in doc["spec"] and "egress" not in doc["spec"]
    ]
    assert [doc["spec"]["policyTypes"] for doc in deny_all] == [["Ingress", "Egress"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_only_referenced(rendered: dict[str, Path], overlay: str) -> None:
    docs = documents(rendered[overlay])
    assert [doc for doc in docs if doc["kind"] == "Secret"] == []
    for name, spec in pod_specs(docs):
        for container in spec.get("initContainers", []) + spec["containers"]:
            for variable in container.get("env", []):
                if any(word in variable["name"] for word in ("SECRET", "KEY", "PASSWORD", "DATABASE_URL")):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), (name, variable["name"])


def known_settings() -> tuple[set[str], set[str]]:
    """Every `ARIANE_*` variable a Settings class reads, and the prefixes of nested ones (`…__`)."""
    from pydantic import BaseModel
    from pydantic_settings import BaseSettings

    from server.settings import Settings
    from tools.knowledge.settings import KnowledgeToolSettings
    from tools.m365.settings import M365Settings
    from tools.mcp_common.settings import ToolServerSettings
    from tools.robots.settings import RobotsToolSettings
    from tools.tenant.settings import TenantSettings

    classes: list[type[BaseSettings]] = [
        Settings,
        M365Settings,
        ToolServerSettings,
        TenantSettings,
        RobotsToolSettings,
        KnowledgeToolSettings,
    ]
    names, nested = set(), set()
    for cls in classes:
        prefix = str(cls.model_config.get("env_prefix", ""))
        for field_name, field in cls.model_fields.items():
            alias = field.validation_alias
            choices = getattr(alias, "choices", [alias] if isinstance(alias, str) else [])
            names |= {str(choice).upper() for choice in choices} or {f"{prefix}{field_name}".upper()}
            annotation = field.annotation
            if getattr(annotation, "__origin__", None) is dict or (
                isinstance(annotation, type) and issubclass(annotation, BaseModel)
            ):
                nested.add(f"{prefix}{field_name}__".upper())
    return names, nested


def test_every_ariane_setting_the_deployments_set_is_one_ariane_reads(rendered: dict[str, Path]) -> None:
    names, nested = known_settings()
    used: set[str] = set()
    compose = yaml.safe_load((INFRA / "compose.yaml").read_text(encoding="utf-8"))
    for service in compose["services"].values():
        used |= set(service.get("environment") or {})
    for path in rendered.values():
        for doc in documents(path):
            if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "ariane-settings":
                used |= set(doc["data"])
        for _, spec in pod_specs(documents(path)):
            for container in spec.get("initContainers", []) + spec["containers"]:
                used |= {variable["name"] for variable in container.get("env", [])}
    ours = {name for name in used if name.startswith("ARIANE_") or name == "DATABASE_URL"}
    # ARIANE_PROBE_PATHS is read by the image's HEALTHCHECK, not by Ariane.
    unknown = {name for name in ours - names - {"ARIANE_PROBE_PATHS"} if not name.startswith(tuple(nested))}

    assert unknown == set()
