"""Who can help with a treatment (issue 15, item 4): "only a doctor" only for a prescription.

The label comes from the data (`prescription`, `who`), never from the item's words.
"""

from __future__ import annotations

import pytest

from cramp_cli.knowledge.load import load_kb
from tests.conftest import run


def _plain_rows() -> dict[str, str]:
    out = run("prevent").stdout
    return {line.split("\t")[0]: line for line in out.splitlines() if "\t" in line}


def test_only_prescriptions_are_labelled_doctor_only() -> None:
    rows = _plain_rows()
    treatments = {item.id: item for item in load_kb().treatments}
    assert {i for i, t in treatments.items() if t.prescription} >= {"doctor-quinine"}
    for item_id, item in treatments.items():
        label = rows[item_id].rsplit("\t", 1)[1]
        if item.prescription:
            assert label == "(only a doctor can offer this)", item_id
        else:
            assert "only a doctor" not in rows[item_id], item_id
            assert label == "(ask a doctor or pharmacist)", item_id


def test_vitamin_b_complex_is_not_doctor_only_in_any_view() -> None:
    plain = run("prevent").stdout
    heading = "Only a doctor can offer these (not advice to take them):"
    doctor_group = plain[plain.index(heading) : plain.index("Ask a doctor or pharmacist about")]
    assert "vitamin-b-complex" not in doctor_group and "doctor-diltiazem" in doctor_group
    for view in ("markdown", "table"):
        out = run("prevent", "--format", view).stdout
        ask = out.index("Ask a doctor or pharmacist about these")
        assert out.index("Vitamin B complex") > ask > out.index("Only a doctor can offer these")


@pytest.mark.parametrize(
    ("who", "label"),
    [
        ("[pregnancy]", "(ask a midwife or doctor)"),
        ("[adults, pregnancy]", "(ask a doctor or pharmacist; in pregnancy, a midwife or doctor)"),
        ("[adults]", "(ask a doctor or pharmacist)"),
    ],
)
def test_pregnancy_items_point_to_a_midwife(tmp_path, who: str, label: str) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "treatments:\n"
        "  - id: my-remedy\n"
        "    title: My remedy\n"
        "    summary: Something to ask about.\n"
        "    details: Something to ask about before you try it.\n"
        f"    who: {who}\n"
        "    sources: [seed-article]\n"
        "    evidence:\n"
        "      grade: none\n"
        "      note: Nothing supports it.\n"
        "    prescription: false\n"
    )
    result = run("--kb", str(mine), "prevent")
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("my-remedy\t"))
    assert row.endswith("\t" + label)
