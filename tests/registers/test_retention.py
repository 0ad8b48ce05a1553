"""What ingestion stores besides the records expires with the source's retention period."""

from __future__ import annotations

from datetime import date, timedelta

from doorbraak.privacy.retention import run_retention
from doorbraak.registers.models import ImportRejection, Person, RecordVersion, RegisterEntry


def test_history_entries_and_rejection_reports_expire_with_the_source(run, sources):
    run("bag", "bag_v1.csv")
    run("kvk", "kvk_companies.csv")
    run("brp", "brp_occupancy.csv")
    run("brp", "brp_occupancy_bad.csv")
    run("closures", "closures.csv")
    assert ImportRejection.objects.exists()
    received = date(2026, 10, 1)
    last_day = received + timedelta(days=730)
    run_retention(last_day)
    assert (
        RecordVersion.objects.filter(model="person").count() == 3
        and RegisterEntry.objects.count() == 2
    )
    result = run_retention(last_day + timedelta(days=1))
    assert not Person.objects.exists()
    assert not RecordVersion.objects.exists()  # BAG, KvK and BRP history all past 730 days
    assert not RegisterEntry.objects.exists() and not ImportRejection.objects.exists()
    assert result["counts"]["record_version:delete"] >= 3
    assert result["counts"]["import_rejections:delete"] == 1
