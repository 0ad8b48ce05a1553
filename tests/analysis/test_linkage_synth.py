"""The synthetic Dutch registers: deterministic, noisy in the documented ways, with truth.
Also: the linkage package stays free of Django."""

import subprocess
import sys
from pathlib import Path

from doorbraak_analysis.linkage import normalise as nl
from doorbraak_analysis.linkage import synth

SRC = Path(__file__).resolve().parents[2] / "src"


def test_generators_are_deterministic():
    a1, b1, t1 = synth.make_person_registers(300, seed=5)
    a2, b2, t2 = synth.make_person_registers(300, seed=5)
    assert a1.equals(a2) and b1.equals(b2) and t1.equals(t2)
    c1 = synth.make_company_registers(100, seed=2)
    c2 = synth.make_company_registers(100, seed=2)
    assert all(x.equals(y) for x, y in zip(c1, c2, strict=True))
    assert not synth.make_person_registers(300, seed=6)[0].equals(a1)


def test_person_registers_carry_the_noise_linkage_must_handle():
    brp, source, truth = synth.make_person_registers(1500, seed=9)
    assert set(brp.columns) >= set(synth.BRP_MAPPING.values())
    assert set(source.columns) >= set(synth.SOURCE_MAPPING.values())
    assert 0.7 < len(truth) / len(brp) < 0.9
    assert (
        truth.left_id.isin(brp.anummer).all()
        and truth.right_id.isin(source.registratienummer).all()
    )
    dates = source.geb_datum[source.geb_datum != ""]
    assert (
        dates.str.match(r"^\d{4}-\d{2}-\d{2}$").any()
        and dates.str.match(r"^\d{2}-\d{2}-\d{4}$").any()
    )
    assert dates.str.match(r"^\d{1,2}/\d{2}/\d{4}$").any() and dates.str.match(r"^\d{4}$").any()
    assert source.voorletters.str.match(r"^([A-Z]\.)+$").any()  # initials only
    assert source.tussenvoegsel.isin(["v.d.", "vd", "v/d", "V.D."]).any()  # prefix variants
    assert source.achternaam.str.match(
        r"^(Vander|Vanden|Vande|De|Ten|Ter)[a-z]"
    ).any()  # glued prefix
    assert source.huisnr.str.contains(r"\d[- ]?[A-Za-z0-9]+$").any()  # house-number additions
    assert source.pc.str.contains(" ").any() and source.pc.str.match(r"^\d{4}[a-z]{2}$").any()
    assert (brp.naamgebruik != "E").any() and (brp.partner_geslachtsnaam != "").any()
    assert (
        source.achternaam.str.contains("-").any() or source.naam.str.contains("-").any()
    )  # partner names
    # namesakes: same name and birth year, different people
    key = (
        brp.voornamen
        + "|"
        + brp.geslachtsnaam
        + "|"
        + brp.geboortedatum.map(lambda d: str(nl.parse_date(d)[1]))
    )
    assert key.duplicated().any()


def test_dedupe_register_truth_covers_every_record():
    records, truth = synth.make_person_dedupe(2000, seed=4)
    assert len(records) == 2000 == len(truth)
    assert set(records.registratienummer) == set(truth.record_id)
    assert truth.person_id.nunique() < 2000  # there are duplicates


def test_company_registers():
    kvk, source, truth = synth.make_company_registers(300, seed=3)
    assert source.bedrijfsnaam.str.contains("h.o.d.n.").any()
    assert (source.kvk.str.len() < 8).any() and (source.kvk == "").any()
    assert kvk.rechtsvorm.isin(["Besloten Vennootschap", "Stichting"]).any()


def test_linkage_never_imports_django():
    code = (
        "import sys; import doorbraak_analysis.linkage as lk; "
        "import doorbraak_analysis.linkage.cli, doorbraak_analysis.linkage.synth, doorbraak_analysis.linkage.ftm; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(SRC)}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
