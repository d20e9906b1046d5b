"""The build as a whole: pins, plausibility, hand rows, cross-checks, byte-identical output, offline."""

from __future__ import annotations

import csv
import dataclasses
import io
import socket
import zipfile
from pathlib import Path

import pytest

from costcalc.errors import PricingError
from costcalc.pricing.build import build, freshness_csv
from costcalc.pricing.build.__main__ import main
from costcalc.pricing.build.pins import GENAI_PRICES, LITELLM
from costcalc.pricing.cache import API_COLUMNS
from tests.pricing.build.upstream import GENAI_DATA, LITELLM_VERSION, SELECTION, write_upstreams


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    first, second = build(inputs), build(inputs)
    assert first.api_csv == second.api_csv
    assert first.disagreements_csv == second.disagreements_csv
    assert first.api_csv.splitlines()[0] == ",".join(API_COLUMNS)


def test_the_build_never_opens_a_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = write_upstreams(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert build(inputs).rows


def test_a_wheel_of_another_version_stops_the_build(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    wheel = next(inputs.wheels.glob("litellm-*.whl"))
    wheel.rename(wheel.with_name(wheel.name.replace(LITELLM_VERSION, "9.9.3")))
    with pytest.raises(PricingError, match=r"no litellm 9\.9\.2 wheel \(found: litellm-9\.9\.3-"):
        build(inputs)


def test_a_wheel_whose_metadata_says_another_version_stops_the_build(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    wheel = next(inputs.wheels.glob("genai_prices-*.whl"))
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("genai_prices-9.9.1.dist-info/METADATA", "Name: genai_prices\nVersion: 9.9.0\n")
        archive.writestr("genai_prices/data.py", GENAI_DATA)
    with pytest.raises(PricingError, match="wheel says genai_prices 9.9.0, pinned genai-prices 9.9.1"):
        build(inputs)


def test_a_changed_data_file_stops_the_build(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    changed = dataclasses.replace(inputs, genai_pin=dataclasses.replace(inputs.genai_pin, data_sha256="0" * 64))
    with pytest.raises(PricingError, match="differs from the pinned release"):
        build(changed)


def test_an_implausible_upstream_price_stops_the_build_naming_the_row(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.selection.write_text(SELECTION + "mistral/typo,mistral/typo,,,,,\n", encoding="utf-8")
    with pytest.raises(PricingError) as info:
        build(inputs)
    message = str(info.value)
    assert "selection.csv:9: mistral/typo: input_usd_per_mtok" in message
    assert "looks like USD per token" in message


def test_a_selection_entry_upstream_lacks_stops_the_build(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.selection.write_text(SELECTION + "openai/nope,openai/nope,,,,,\n", encoding="utf-8")
    with pytest.raises(PricingError, match="selection.csv:9: openai/nope: genai-prices 9.9.1 provider 'openai' has no"):
        build(inputs)


def test_upstream_disagreements_are_listed_with_the_kept_value_and_why(tmp_path: Path) -> None:
    out = build(write_upstreams(tmp_path))
    found = _csv(out.disagreements_csv)
    big = [d for d in found if d["id"] == "openai/big"]
    # litellm has 5 input against genai-prices' 8 (-37.5%); output agrees (40 = 40); only genai-prices has the
    # long-context tier over 272K
    assert [(d["field"], d["kept"], d["other"], d["difference_pct"]) for d in big] == [
        ("input_usd_per_mtok", "8", "5", "-38"),
        ("long_context_threshold_tokens", "272000", "", ""),
    ]
    assert big[0]["kept_from"] == "genai-prices 9.9.1" and big[0]["other_from"] == "litellm 9.9.2"
    assert big[0]["why"] == "litellm has the 2025 price; genai-prices records the change"
    # google/flash: genai-prices and litellm agree on the price valid on the build date (0.75)
    assert not [d for d in found if d["id"] == "google/flash"]


def test_a_long_context_tier_only_one_upstream_has_is_listed_with_an_empty_side(tmp_path: Path) -> None:
    found = _csv(build(write_upstreams(tmp_path)).disagreements_csv)
    claude = [d for d in found if d["id"] == "anthropic/claude-x"]
    assert [(d["field"], d["kept"], d["other"], d["difference_pct"]) for d in claude] == [
        ("long_context_threshold_tokens", "", "200000", "")
    ]
    assert claude[0]["kept_from"] == "genai-prices 9.9.1" and claude[0]["other_from"] == "litellm 9.9.2"


def test_a_disagreement_without_a_reviewer_note_is_a_warning(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.selection.write_text(SELECTION.replace('"litellm has the 2025 price; genai-prices records the change"', ""))
    out = build(inputs)
    assert out.warnings == ["openai/big: upstreams disagree with no reviewer note"]


def test_tiers_only_litellm_prices_join_the_current_row_at_the_same_standard_price(tmp_path: Path) -> None:
    rows = {r["id"]: r for r in _csv(build(write_upstreams(tmp_path)).api_csv)}
    now = rows["google/flash@2026-10-14"]  # the row valid on the build date, 2026-11-20
    assert (now["flex_input_usd_per_mtok"], now["flex_output_usd_per_mtok"]) == ("0.375", "1.875")
    assert (now["priority_input_usd_per_mtok"], now["priority_output_usd_per_mtok"]) == ("1.35", "6.75")
    assert now["priority_cached_input_usd_per_mtok"] == "0.135" and now["flex_cached_input_usd_per_mtok"] == ""
    assert now["batch_input_usd_per_mtok"] == "0.375"  # genai-prices has batch: its own is kept
    assert "flex and priority prices from litellm 9.9.2 key 'gemini/flash'" in now["notes"]
    assert now["as_of"] == "2026-11-20"  # the newer of the two releases the row now rests on
    # litellm's prices are today's: neither the scheduled nor the past row takes them
    for other in ("google/flash", "google/flash@2027-01-01"):
        assert rows[other]["flex_input_usd_per_mtok"] == rows[other]["priority_input_usd_per_mtok"] == ""
    # litellm prices openai/big's batch at its older standard price (5, not 8): not taken, and the row says so
    big = rows["openai/big"]
    assert (
        big["batch_input_usd_per_mtok"] == ""
        and "litellm 9.9.2 also prices batch at another standard price" in (big["notes"])
    )


def test_the_previous_table_is_compared_on_the_build_date(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    first = build(inputs)
    previous = first.api_csv.replace(
        "google/flash,google,flash,,0.75,3.75,0.075", "google/flash,google,flash,,1.5,3.75,0.075"
    )
    assert previous != first.api_csv
    (inputs.build_dir / "previous-api.csv").write_text(previous, encoding="utf-8")
    found = _csv(build(inputs).disagreements_csv)
    # the previous first-period row is not valid on the build date: the 2026-10-14 row is, and its
    # previous twin is unchanged, so nothing is listed; only a change to the current row counts
    assert [d for d in found if d["other_from"] == "previous table"] == []
    current = first.api_csv.replace(
        "google/flash@2026-10-14,google,flash,,0.75,", "google/flash@2026-10-14,google,flash,,1.5,"
    )
    (inputs.build_dir / "previous-api.csv").write_text(current, encoding="utf-8")
    found = _csv(build(inputs).disagreements_csv)
    assert [(d["id"], d["field"], d["kept"], d["other"]) for d in found if d["other_from"] == "previous table"] == [
        ("google/flash", "input_usd_per_mtok", "0.75", "1.5")
    ]


HAND = (
    "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
    "together/private-model,together,private-model,0.5,1.5,https://www.together.ai/pricing,2026-11-25\n"
)


def test_hand_researched_rows_join_the_table_and_move_the_build_date(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.hand_researched.write_text(HAND, encoding="utf-8")
    out = build(inputs)
    assert "together/private-model" in {r.id for r in out.rows}
    assert out.built_on.isoformat() == "2026-11-25"


def test_a_hand_row_for_a_model_upstream_prices_is_refused(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.hand_researched.write_text(HAND.replace("together,private-model", "google,flash-2"), encoding="utf-8")
    with pytest.raises(PricingError, match="genai-prices 9.9.1 prices google/flash-2; add it to"):
        build(inputs)


def test_a_hand_row_must_cite_a_page(tmp_path: Path) -> None:
    inputs = write_upstreams(tmp_path)
    inputs.hand_researched.write_text(HAND.replace("https://www.together.ai/pricing", "a phone call"))
    with pytest.raises(PricingError, match="source must be the vendor's page"):
        build(inputs)


def test_freshness_csv_replaces_only_its_own_table(tmp_path: Path) -> None:
    current = "table,built_on,max_age_days,how\napi,2026-01-01,60,old\nseats,2026-11-30,120,hand\n"
    text = freshness_csv(current, "api", __import__("datetime").date(2026, 11, 20), 60, "build")
    assert text == "table,built_on,max_age_days,how\napi,2026-11-20,60,build\nseats,2026-11-30,120,hand\n"


def test_main_writes_the_files_then_check_finds_them_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = write_upstreams(tmp_path)
    pricing = inputs.build_dir.parent
    monkeypatch.setattr("costcalc.pricing.build.__main__.GENAI_PRICES", inputs.genai_pin)
    monkeypatch.setattr("costcalc.pricing.build.__main__.LITELLM", inputs.litellm_pin)
    args = ["--wheels", str(inputs.wheels), "--pricing-dir", str(pricing)]
    assert main([*args, "--check"]) == 1  # nothing written yet
    assert main(args) == 0
    assert (pricing / "api.csv").read_text().startswith("id,provider,model,")
    assert main([*args, "--check"]) == 0
    (pricing / "api.csv").write_text("stale\n")
    assert main([*args, "--check"]) == 1


def test_main_reports_a_stop_as_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wheels", str(tmp_path), "--pricing-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert f"pip download --no-deps {GENAI_PRICES.package}=={GENAI_PRICES.version}" in err
    assert LITELLM.package not in err  # the first missing wheel stops it
