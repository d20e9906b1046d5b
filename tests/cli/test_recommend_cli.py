"""`costcalc recommend` through the real app: formats, the hand-off to `report` to the cent, bad input (exit 2)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from costcalc.bands import actual_range
from costcalc.catalog import get_model
from costcalc.words import count
from tests.analysis.recommend.scenarios import TODAY, chat
from tests.support.cli import invoke

SLICE = ("--gpu", "l40s-48gb", "--engine", "vllm", "--max-gpus", "1", "--today", TODAY)


@pytest.fixture
def scenario(write_yaml: Callable[..., Path]) -> Path:
    return write_yaml(chat())


def test_json_holds_the_ranked_candidates_pareto_excluded_and_verdict(scenario: Path) -> None:
    code, out, err = invoke("recommend", str(scenario), *SLICE, "-f", "json", "--top", "3")
    assert code == 0, err
    doc = json.loads(out)
    assert {"candidates", "pareto", "excluded", "verdict", "search"} <= set(doc)
    cands = doc["candidates"]
    assert [c["rank"] for c in cands] == [1, 2, 3]
    for c in cands:
        assert {
            "monthly_cost",
            "cost_per_million_tokens",
            "gpu",
            "gpus_per_replica",
            "precision",
            "engine",
            "offer",
        } <= set(c)
        assert c["gpu"] == "l40s-48gb" and c["engine"] == "vllm" and c["gpus_per_replica"] == 1
        assert c["throughput"]["basis"] == "estimated" and c["throughput"]["error_band"] > 0
        assert c["monthly_cost_low"] <= c["monthly_cost"] <= c["monthly_cost_high"]
    costs = [c["monthly_cost"] for c in cands]
    assert costs == sorted(costs)
    assert doc["verdict"]["cheapest_api"] == "Explicit API"
    assert cands[0]["gap_to_cheapest_api"] == pytest.approx(costs[0] - doc["verdict"]["api_monthly_cost"])
    assert cands[0]["gap_to_cheapest_seat"] is not None  # the scenario has seats
    assert doc["search"]["constraints"] == {"--gpu": "l40s-48gb", "--max-gpus": "1", "--engine": "vllm"}


def test_report_on_the_written_scenario_reproduces_the_numbers_to_the_cent(scenario: Path, tmp_path: Path) -> None:
    written = tmp_path / "best.yaml"
    code, out, err = invoke(
        "recommend", str(scenario), *SLICE, "-f", "json", "--write-scenario", str(written), "--write-top", "3"
    )
    assert code == 0, err
    assert f"wrote {written}" in err
    rec = json.loads(out)
    doc = yaml.safe_load(written.read_text(encoding="utf-8"))
    names = [o["name"] for o in doc["options"]]
    assert names[:2] == ["Explicit API", "Seats"]  # the scenario's own APIs and seats are kept
    assert "Own L40S" not in names  # its own self-hosted option is replaced
    from costcalc.throughput.serving.estimated import clear_cache

    clear_cache()  # report simulates afresh: nothing shared with the search but the code
    code, out, err = invoke("report", str(written), "-f", "json", "--today", TODAY)
    assert code == 0, err
    report = {o["name"]: o for o in json.loads(out)["options"]}
    for c in rec["candidates"][:3]:
        o = report[c["name"]]
        assert round(o["monthly_cost"], 2) == round(c["monthly_cost"], 2)
        assert round(o["cost_per_million_tokens"], 2) == round(c["cost_per_million_tokens"], 2)
        assert o["replicas"] == c["replicas"] and o["utilisation"] == pytest.approx(c["utilisation"])
    assert round(report["Explicit API"]["monthly_cost"], 2) == round(rec["references"][0]["monthly_cost"], 2)


def test_csv_and_markdown(scenario: Path) -> None:
    code, out, err = invoke("recommend", str(scenario), *SLICE, "-f", "csv", "--top", "2")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["rank"] for r in rows[:2]] == ["1", "2"]
    assert {"monthly_cost_usd", "cost_per_million_tokens_usd", "gpu", "engine", "offer", "error_band"} <= set(rows[0])
    code, out, err = invoke("recommend", str(scenario), *SLICE, "-f", "markdown", "--top", "2")
    assert code == 0, err
    assert "| # | Configuration |" in out and "**Verdict**" in out


@pytest.mark.parametrize("columns", [80, 120])
def test_table_fits_the_terminal(scenario: Path, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = invoke("recommend", str(scenario), *SLICE, "--top", "3")
    assert code == 0, err
    assert "Cheapest configurations meeting the SLO" in out and "Verdict" in out
    too_wide = [line for line in out.splitlines() if len(line) > columns and not line.lstrip().startswith("costcalc ")]
    assert too_wide == []  # only copyable command lines may run past the edge
    assert "est. ≥" in out or "est. 0." in out or columns < 100  # the basis and its band, where there is room


def test_html_report_gains_the_section(scenario: Path, tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    code, _, err = invoke("report", str(scenario), "--recommend", "-o", str(html), "--today", TODAY)
    assert code == 0, err
    text = html.read_text(encoding="utf-8")
    assert "<h2>Cheapest configurations</h2>" in text and "id='recommend'" in text
    code, _, err = invoke("report", str(scenario), "--recommend", "--today", TODAY)
    assert code == 2 and "--recommend" in err and "html" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--model", "gpt-oss-2b"), "--model: unknown model id 'gpt-oss-2b' (did you mean: gpt-oss-20b"),
        (("--gpu", "h1000"), "--gpu: unknown GPU id 'h1000' (did you mean"),
        (("--engine", "vlm"), "--engine: unknown engine 'vlm' (did you mean: vllm?)"),
        (("--precision", "fp7"), "--precision: unknown precision 'fp7' (did you mean"),
        (("--acquisition", "lease"), "--acquisition: rent or buy, not 'lease'"),
        (("--top", "0"), "--top: must be at least 1"),
        (("--max-gpus", "0"), "--max-gpus: must be at least 1"),
        (("--write-top", "0"), "error: --write-top: must be at least 1"),  # qa24: '--write-top: --write-top must ...'
    ],
)
def test_bad_flags_exit_2_with_a_hint(scenario: Path, args: tuple[str, ...], expected: str) -> None:
    code, out, err = invoke("recommend", str(scenario), *args)
    assert code == 2 and out == ""
    assert expected in err and err.count("--") == expected.count("--")  # the flag named once
    assert "Traceback" not in err


def test_constraints_that_exclude_everything_name_the_worst(scenario: Path, tmp_path: Path) -> None:
    written = tmp_path / "never.yaml"
    code, out, err = invoke(
        "recommend", str(scenario), "--gpu", "l4-24gb", "--acquisition", "buy", "--write-scenario", str(written)
    )
    assert code == 2 and out == ""
    # the L4 has rental offers only: together the two flags leave nothing; --gpu alone removes the most
    # the flags are named once, by the message (it read "error: --gpu: --gpu l4-24gb --acquisition buy leave ...")
    assert err.startswith("error: --gpu l4-24gb --acquisition buy leave no priced configuration of"), err
    assert "--gpu l4-24gb alone removes the most" in err and "loosen it" in err
    assert not written.exists()  # output files only after success
    code, _, err = invoke("recommend", str(scenario), "--provider", "nobody")
    assert code == 2 and "--provider nobody alone removes the most" in err and "providers: " in err


def test_a_scenario_without_workload_or_model(write_yaml: Callable[..., Path]) -> None:
    doc = chat()
    del doc["workload"]
    code, _, err = invoke("recommend", str(write_yaml(doc, "no-workload.yaml")))
    assert code == 2 and "workload" in err and "Traceback" not in err
    doc = chat()
    doc["options"] = doc["options"][:2]  # an API and seats, nothing self-hosted
    code, _, err = invoke("recommend", str(write_yaml(doc, "no-model.yaml")))
    assert code == 2 and "give the model ids to search, e.g. --model gpt-oss-120b" in err
    assert err.startswith("error: the scenario has no self_hosted option") and err.count("--model") == 1  # once


def _reproduced(scenario: Path, tmp_path: Path, *args: str) -> dict:
    """recommend ARGS --write-scenario, then report on the file: each written candidate's numbers to the cent."""
    written = tmp_path / "best.yaml"
    code, out, err = invoke("recommend", str(scenario), *args, "-f", "json", "--write-scenario", str(written))
    assert code == 0, err
    rec = json.loads(out)
    code, out, err = invoke("report", str(written), "-f", "json", "--today", TODAY)
    assert code == 0, err
    report = json.loads(out)
    options = {o["name"]: o for o in report["options"]}
    for c in rec["candidates"][: int(dict(zip(args, args[1:])).get("--write-top", 3))]:
        assert round(options[c["name"]]["monthly_cost"], 2) == round(c["monthly_cost"], 2)
        assert options[c["name"]]["breakdown"] == pytest.approx(c["breakdown"])
    assert rec["currency"] == report["currency"]
    return rec


def test_bought_hardware_is_costed_like_report(scenario: Path, tmp_path: Path) -> None:
    args = ("--gpu", "h100-sxm-80gb", "--acquisition", "buy", "--engine", "vllm", "--max-gpus", "1", "--today", TODAY)
    rec = _reproduced(scenario, tmp_path, *args, "--top", "10", "--write-top", "10")
    top = rec["candidates"][0]
    assert top["acquisition"] == "buy" and top["pricing_type"] == "purchase" and top["provider"] is None
    assert {"depreciation", "energy", "labour"} <= set(top["breakdown"])
    servers = [c for c in rec["candidates"] if c["offer"].startswith(("hgx-", "nvidia-dgx"))]
    assert servers, "8-GPU servers carry 1-GPU replicas, bought whole"
    assert all(c["replicas"] % 8 == 0 for c in servers)  # a server holds 8 replicas of 1 GPU


def test_one_gpu_replicas_packed_into_rented_instances_are_costed_like_report(scenario: Path, tmp_path: Path) -> None:
    # CoreWeave rents L40S only as 8-GPU instances: 1-GPU replicas are packed 8 to an instance, billed whole
    args = ("--gpu", "l40s-48gb", "--provider", "coreweave", "--engine", "vllm", "--max-gpus", "1", "--today", TODAY)
    rec = _reproduced(scenario, tmp_path, *args, "--top", "1", "--write-top", "1")
    top = rec["candidates"][0]
    assert top["offer"] == "coreweave/l40s-8x/on-demand/north-america" and top["gpus_per_replica"] == 1
    assert top["replicas"] % 8 == 0  # whole instances of 8 replicas
    instances = top["replicas"] // 8
    assert top["breakdown"]["gpu_rental"] == pytest.approx(instances * 8 * 2.25 * 730)  # $18 an instance-hour


def test_money_is_in_the_scenarios_currency(write_yaml: Callable[..., Path], tmp_path: Path) -> None:
    doc = chat()
    doc["currency"] = {"code": "EUR", "per_usd": 0.5, "as_of": "2026-12-01", "source": "test rate"}
    rec = _reproduced(write_yaml(doc), tmp_path, *SLICE)
    usd = json.loads(invoke("recommend", str(write_yaml(chat(), "usd.yaml")), *SLICE, "-f", "json")[1])
    assert rec["currency"] == "EUR"
    assert rec["candidates"][0]["monthly_cost"] == pytest.approx(usd["candidates"][0]["monthly_cost"] * 0.5)


def test_progress_bar_only_on_a_terminal_and_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from costcalc.cli import recommend as cli

    piped = cli._Progress()
    piped.console = Console(file=io.StringIO(), force_terminal=False)
    piped.started -= 5
    piped.step(1)
    assert piped.bar is None  # nothing when piped
    shown = cli._Progress()
    shown.console = Console(file=io.StringIO(), force_terminal=True)
    shown.total(40)
    shown.step(1)
    assert shown.bar is None  # not within the first second
    shown.started -= cli.PROGRESS_AFTER_S
    shown.step(2)
    assert shown.bar is not None
    shown.close()


def test_user_text_is_escaped_per_format(write_yaml: Callable[..., Path]) -> None:
    doc = chat()
    doc["name"] = "Chat [click](http://x.example) <b>bold</b> @team"
    doc["options"][0]["name"] = "=HYPERLINK(1)"
    path = write_yaml(doc)
    code, out, err = invoke("recommend", str(path), *SLICE, "-f", "markdown", "--top", "1")
    assert code == 0, err
    assert "\\[click\\](" in out and "\\<b>" in out and "@\u2060team" in out  # no link, tag or mention
    code, out, err = invoke("recommend", str(path), *SLICE, "--top", "1")
    assert code == 0, err
    assert "=HYPERLINK(1) (api)" in out  # shown as written on a terminal
    code, out, err = invoke("recommend", str(path), *SLICE, "-f", "json", "--top", "1")
    assert json.loads(out)["references"][0]["name"] == "=HYPERLINK(1)"  # JSON keeps the text


def test_reserved_rentals_are_offered_and_costed_like_report(scenario: Path, tmp_path: Path) -> None:
    args = ("--gpu", "l40s-48gb", "--provider", "aws", "--engine", "vllm", "--max-gpus", "1", "--today", TODAY)
    rec = _reproduced(scenario, tmp_path, *args, "--top", "10", "--write-top", "10")
    kinds = {c["pricing_type"] for c in rec["candidates"]}
    assert "reserved-1y" in kinds and "on-demand" in kinds  # finance's committed terms priced beside on-demand
    reserved = min(c["monthly_cost"] for c in rec["candidates"] if c["pricing_type"] == "reserved-1y")
    on_demand = min(c["monthly_cost"] for c in rec["candidates"] if c["pricing_type"] == "on-demand")
    assert reserved < on_demand  # the same instance committed for a year costs less a month


def test_a_commitment_longer_than_the_horizon_cannot_be_priced(scenario: Path) -> None:
    args = ("--gpu", "a100-sxm-80gb", "--provider", "gcp", "--engine", "vllm", "--max-gpus", "1", "--today", TODAY)
    code, out, err = invoke("recommend", str(scenario), *args, "-f", "json")
    assert code == 0, err
    excluded = {e["reason"]: e for e in json.loads(out)["excluded"]}
    example = excluded["cannot be priced"]["example"]
    assert "reserved-3y" in example and "36-month commitment is longer than the 12-month horizon" in example


def test_ties_name_the_leading_candidates_and_the_measure_lines_for_two(scenario: Path) -> None:
    rtx = ("--gpu", "rtx-4090-24gb", "--max-gpus", "1", "--today", TODAY)
    code, out, err = invoke("recommend", str(scenario), *rtx, "-f", "json", "--top", "4")
    assert code == 0, err
    doc = json.loads(out)
    cands, tie = doc["candidates"], doc["verdict"]["tie"]
    assert tie is not None  # engines on the same rented card at the same replica count cost the same
    assert cands[0]["monthly_cost"] == cands[1]["monthly_cost"]
    assert list(tie["candidates"]) == [c["name"] for c in cands[: len(tie["candidates"])]]
    assert len(tie["measure"]) == 2
    for line, c in zip(tie["measure"], cands[:2], strict=True):
        assert line.startswith(f"costcalc measure --base-url URL --model {c['model']} ")
        assert f"-{c['gpus_per_replica']}x-{c['gpu']}-{c['engine']}-{c['precision']}.json" in line
    assert "tie" in doc["verdict"]["lines"][-1] and "Measure the leading two" in doc["verdict"]["lines"][-1]
    # one L40S replica whatever the capacity within the band: the offers' costs are apart and do not tie
    code, out, err = invoke("recommend", str(scenario), *SLICE, "-f", "json", "--top", "4")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["verdict"]["tie"] is None
    first, second = doc["candidates"][:2]
    assert first["monthly_cost_high"] < second["monthly_cost_low"]


@pytest.mark.parametrize("columns", [80, 120])
def test_the_measure_lines_fit_the_terminal_and_paste_as_the_same_commands(
    scenario: Path, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at 80 columns each `costcalc measure` line ran to 160 characters; now it breaks before options with " \\"
    monkeypatch.setenv("COLUMNS", str(columns))
    rtx = ("--gpu", "rtx-4090-24gb", "--max-gpus", "1", "--today", TODAY)
    code, out, err = invoke("recommend", str(scenario), *rtx, "-f", "json", "--top", "4")
    assert code == 0, err
    commands = json.loads(out)["verdict"]["tie"]["measure"]
    code, out, err = invoke("recommend", str(scenario), *rtx, "--top", "4")
    assert code == 0, err
    lines = out.splitlines()
    start = lines.index("  Measure the leading two (on the hardware, serving the model):") + 1
    shown, command = [], ""
    for line in lines[start:]:
        assert len(line) <= columns or " " not in line.strip(), line  # only one long token may pass the edge
        command += line.strip().removesuffix("\\").strip() + " "
        if not line.endswith("\\"):
            shown.append(command.strip())
            command = ""
            if len(shown) == len(commands):
                break
    assert shown == commands
    if columns == 80:
        assert len(lines[start:]) > len(commands)  # broken over lines


def test_a_tie_states_the_widest_band_among_every_tied_configuration(
    scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The widest band must sit outside the leading two for the check to tell "every tied" from
    # "leading two"; the refitted bands move, so vLLM's server band is set wider here, not taken as shipped.
    from costcalc.throughput.factors import load_factors
    from costcalc.throughput.serving import estimated

    bands_shipped = load_factors().error_bands
    monkeypatch.setitem(bands_shipped, "vllm/server", bands_shipped["overall"] + 0.5)
    rtx = ("--gpu", "rtx-4090-24gb", "--max-gpus", "1", "--today", TODAY)
    caches = (estimated._cached_capacity, estimated._cached_first)  # capacities carry the band they were made with
    for cache in caches:
        cache.cache_clear()
    try:
        code, out, err = invoke("recommend", str(scenario), *rtx, "-f", "json", "--top", "4")
    finally:
        for cache in caches:
            cache.cache_clear()
    assert code == 0, err
    doc = json.loads(out)
    tie = doc["verdict"]["tie"]
    by_name = {c["name"]: c for c in doc["candidates"]}
    bands = [by_name[name]["throughput"]["error_band"] for name in tie["candidates"]]
    assert len(bands) > 2 and max(bands) > max(bands[:2])  # the case that tells "every tied" from "leading two"
    widest, leading = f"{actual_range(max(bands))[0]:.2f}x", f"{actual_range(max(bands[:2]))[0]:.2f}x"
    assert widest != leading  # the wording tells the two apart
    assert f"(actual throughput as low as {widest} the estimate)" in tie["message"]


def test_a_write_scenario_path_that_cannot_be_written_is_named_by_its_flag(scenario: Path, tmp_path: Path) -> None:
    # the refusal named -o, which the user had not given
    code, out, err = invoke("recommend", str(scenario), *SLICE, "--write-scenario", str(tmp_path / "no" / "best.yaml"))
    assert code == 2 and out == ""
    assert err == (
        f"error: --write-scenario: folder {tmp_path / 'no'} does not exist; create it or choose another"
        " --write-scenario path"
    )


def test_an_unknown_model_in_the_scenario_names_its_file_line_and_option(write_yaml: Callable[..., Path]) -> None:
    """Like every other command: 's.yaml:17: options[X].model: unknown model id ...' (qa9: 'options.model: ...', no
    file, no line, and a field that is no path of the scenario); a --set names the flag instead."""
    doc = chat()
    option = next(o for o in doc["options"] if o["kind"] == "self_hosted")
    option["model"] = "gpt-oss-2b"
    path = write_yaml(doc)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "gpt-oss-2b" in text)
    code, out, err = invoke("recommend", str(path), *SLICE)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path}:{line}: options[{option['name']}].model: unknown model id 'gpt-oss-2b'"), err
    typed = f"options[{option['name']}].model=gpt-oss-3b"
    code, _, err = invoke("recommend", str(path), *SLICE, "--set", typed)
    assert code == 2 and err.startswith(f"error: --set {typed}: unknown model id 'gpt-oss-3b'"), err


@pytest.mark.parametrize("columns", [80, 120])
def test_nothing_fits_shows_why(write_yaml: Callable[..., Path], columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests longer than the model's context: the exclusions table keeps its example, wrapped, at 80 and 120
    columns (qa9: 'Not shown at 120 columns: For example', the one cell that said why nothing fits), its counts
    spelled as every other count ('5000250 tokens of context exceed ... maximum of 131072' before)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    doc = chat()
    doc["workload"]["input_tokens"] = 5_000_000
    code, out, err = invoke("recommend", str(write_yaml(doc)), *SLICE)
    assert code == 0, err
    words = " ".join(out.split())
    assert "0 fit" in words and "For example" in out and "Not shown" not in out
    max_context = count(get_model("gpt-oss-20b").max_context_tokens)
    assert (
        f"{count(5_000_000 + doc['workload']['output_tokens'])} tokens of context exceed gpt-oss-20b's maximum" in words
    )
    assert f"maximum of {max_context}" in words and "," in max_context
    assert max(map(len, out.splitlines())) <= columns


def test_one_gpu_searched_is_said_in_the_singular(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """qa16: `recommend scenario.yaml --gpu h100 ...` (its --help example) said 'on 1 priced GPUs'."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = invoke("recommend", str(scenario), *SLICE, "--top", "1")
    assert code == 0, err
    assert " on 1 priced GPU: " in out and "1 priced GPUs" not in out


@pytest.mark.parametrize("flag", ["--write-scenario", "-o"])
def test_a_target_that_is_the_scenario_is_refused_before_the_search_and_prints_nothing(
    scenario: Path, flag: str
) -> None:
    """qa18: `--write-scenario s.yaml` (the scenario itself) ran the whole search, printed the ranked table on stdout
    and then exited 2; `-o s.yaml` ran the search before refusing. Both are refused once the scenario is read."""
    before = scenario.read_text(encoding="utf-8")
    code, out, err = invoke("recommend", str(scenario), *SLICE, flag, str(scenario))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {flag}: {scenario} is an input of this run; writing it would destroy it, choose another {flag} path"
    )  # one line: no 'recommend: N candidates' summary, so no search ran
    assert scenario.read_text(encoding="utf-8") == before


def test_a_scenario_to_stdout_beside_the_ranking_on_stdout_is_refused(scenario: Path) -> None:
    """qa18: `--write-scenario -` without -o wrote the ranked table and then the scenario's YAML on stdout, one run into
    the other (neither readable), exit 0."""
    code, out, err = invoke("recommend", str(scenario), *SLICE, "--write-scenario", "-")
    assert (code, out) == (2, "")
    assert err == (
        "error: --write-scenario: stdout holds the ranked configurations; name a file for the scenario, or send the"
        " ranking to -o FILE"
    )


@pytest.mark.parametrize("second", ["best.yaml", "./best.yaml"])
def test_one_file_for_both_the_ranking_and_the_scenario_is_refused_before_the_search(
    scenario: Path, tmp_path: Path, second: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o best.yaml --write-scenario best.yaml`: the scenario was written, then replaced by the ranking, and stderr
    still said 'wrote best.yaml: the top 3 configurations' (exit 0)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("recommend", str(scenario), *SLICE, "-o", "best.yaml", "--write-scenario", second)
    assert (code, out) == (2, "")
    assert err == (
        f"error: --write-scenario: {second} is also -o; the ranking would replace the scenario, give each its own file"
    )
    assert not (tmp_path / "best.yaml").exists()


def test_an_output_that_is_the_pricing_lock_is_refused_before_the_search(scenario: Path, tmp_path: Path) -> None:
    """`--pricing-lock lock.yaml -o lock.yaml` ran the whole search ('recommend: 56 candidates; ...') before refusing:
    the lock was read only inside the search."""
    lock = tmp_path / "lock.yaml"
    code, _, err = invoke("pricing", "lock", str(scenario), "-o", str(lock), "--today", TODAY)
    assert code == 0, err
    before = lock.read_text(encoding="utf-8")
    code, out, err = invoke("recommend", str(scenario), *SLICE, "--pricing-lock", str(lock), "-o", str(lock))
    assert (code, out) == (2, "")
    assert err == f"error: -o: {lock} is an input of this run; writing it would destroy it, choose another -o path"
    assert lock.read_text(encoding="utf-8") == before
