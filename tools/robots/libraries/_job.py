"""What every local robot task shares: its inputs, its artifacts folder, its results file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from robot.api import logger

RESULTS_FILE = "resultat.json"


class JobFiles:
    """Inputs of the job (JSON file written by the runner) and where the task leaves its files."""

    def __init__(self, inputs_file: str, artifacts_dir: str) -> None:
        self.inputs: dict[str, Any] = json.loads(Path(inputs_file).read_text(encoding="utf-8"))
        self.artifacts = Path(artifacts_dir)
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.results_file = Path(inputs_file).parent / RESULTS_FILE

    def save_artifact(self, name: str, text: str) -> Path:
        """Write one artifact (kept with the job, downloadable by who may see it)."""
        path = self.artifacts / name
        path.write_text(text, encoding="utf-8")
        logger.info(f"Artefact écrit : {name} ({len(text.encode())} octets)")
        return path

    def save_results(self, results: dict[str, Any]) -> None:
        """The job's outputs (a small JSON object shown in the chat and on the job)."""
        self.results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
