"""R01 — lab acts whose result arrived after the stay was billed become corrective invoice lines."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from robot.api import logger

from tools.robots.libraries._job import JobFiles

# Value of the « B » key letter of the French lab nomenclature (NABM), in euros.
B_VALUE = Decimal("0.27")
EXPORT = Path("laboratoire") / "actes-biologie.csv"


class LabBilling:
    """Keywords of the re-billing robot."""

    ROBOT_LIBRARY_SCOPE = "SUITE"

    def __init__(self, inputs_file: str, artifacts_dir: str, samples_dir: str) -> None:
        self.job = JobFiles(inputs_file, artifacts_dir)
        self.export = Path(samples_dir) / EXPORT

    def read_lab_acts_export(self) -> list[dict[str, Any]]:
        """Read the CSV export of the lab information system."""
        with self.export.open(encoding="utf-8", newline="") as handle:
            acts = list(csv.DictReader(handle, delimiter=";"))
        logger.info(f"{len(acts)} actes lus dans l'export {self.export.name}")
        return acts

    def select_acts_arrived_after_billing(self, acts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Acts of the requested month whose result came after the stay's invoice."""
        period = self.job.inputs["periode"]
        late = [
            act
            for act in acts
            if act["date_acte"].startswith(period) and act["date_resultat"] > act["date_facturation_sejour"]
        ]
        logger.info(f"{len(late)} actes de {period} arrivés après facturation")
        return late

    def write_invoice_lines(self, late: list[dict[str, Any]]) -> None:
        """One corrective invoice line per late act, grouped by stay; totals in the results."""
        buffer = io.StringIO()
        fields = ["sejour", "ipp", "num_acte", "code_nabm", "libelle", "coefficient_b", "montant_eur"]
        writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";", lineterminator="\n")
        writer.writeheader()
        total = Decimal(0)
        for act in sorted(late, key=lambda item: (item["sejour"], item["num_acte"])):
            amount = (Decimal(act["coefficient_b"]) * B_VALUE).quantize(Decimal("0.01"))
            total += amount
            writer.writerow({field: act.get(field, "") for field in fields[:-1]} | {"montant_eur": amount})
        self.job.save_artifact("lignes-facture.csv", buffer.getvalue())
        summary = {
            "periode": self.job.inputs["periode"],
            "actes_refactures": len(late),
            "sejours": len({act["sejour"] for act in late}),
            "montant_total_eur": str(total),
        }
        self.job.save_artifact("synthese.json", _json(summary))
        self.job.save_results(summary)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
