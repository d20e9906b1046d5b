"""`costcalc ci`'s comment stays within GitHub's 65,536-character limit: a pull request changing many scenarios got a
comment GitHub refuses ("Body is too long"), so no comment at all. Folded details go first, then whole sections, and
the comment says which files it left out; failed ones are kept."""

from __future__ import annotations

from costcalc.render.ci_comment import GITHUB_LIMIT_CHARS, Section, render
from costcalc.render.diff_markdown import MARKER

FOOTER = "_HTML reports are attached._"


def _section(i: int, *, failed: bool = False, details_chars: int = 4000) -> Section:
    text = (
        f"### LLM cost diff: scenario {i}\n\n`s{i}.yaml` · HTML report: `s{i}.html`\n\n"
        f"{':x:' if failed else ':white_check_mark:'} Cheapest option unchanged.\n\n"
        "| Option | Before | After |\n|---|---:|---:|\n| A | $1 | $2 |\n\n"
        f"<details><summary>Changed inputs (1)</summary>\n\n{'x' * details_chars}\n\n</details>\n"
    )
    return Section(f"s{i}.yaml", text, failed=failed)


def test_a_comment_under_the_limit_is_every_section_in_full() -> None:
    sections = [_section(i) for i in range(3)]
    text = render(sections, FOOTER)
    assert text == MARKER + "\n" + "\n\n".join([*(s.markdown for s in sections), FOOTER]) + "\n"


def test_no_section_says_no_change() -> None:
    assert render([], FOOTER) == f"{MARKER}\nNo scenario file changed.\n"


def test_over_the_limit_the_folded_details_go_first() -> None:
    sections = [_section(i) for i in range(20)]  # 20 × ~4.2k: over 65,536 in full
    assert len(render(sections, FOOTER, limit_chars=10**9)) > GITHUB_LIMIT_CHARS
    text = render(sections, FOOTER)
    assert len(text) <= GITHUB_LIMIT_CHARS
    assert text.startswith(MARKER + "\n") and text.endswith(FOOTER + "\n")
    assert "<details>" not in text and text.count("Details folded out to fit one comment") == 20
    assert all(f"### LLM cost diff: scenario {i}\n" in text for i in range(20))


def test_far_over_the_limit_whole_sections_go_failed_ones_stay_and_the_rest_are_named() -> None:
    sections = [_section(i, failed=i in (150, 199), details_chars=10) for i in range(200)]
    text = render(sections, FOOTER, limit_chars=20_000)
    assert len(text) <= 20_000
    kept = [i for i in range(200) if f"### LLM cost diff: scenario {i}\n" in text]
    assert 150 in kept and 199 in kept and 0 in kept and len(kept) < 200
    left = [i for i in range(200) if i not in kept]
    assert f":warning: {len(left)} more scenarios did not fit in one comment: `s{left[0]}.yaml`," in text  # was (s)
    assert text.index(f"scenario {kept[0]}\n") < text.index(f"scenario {kept[-1]}\n")  # file order kept


def test_a_folded_section_points_its_stale_prices_to_the_html_report() -> None:
    # the warning said 'the price dates say why each is kept (under Sources, price dates and assumptions (HEAD) below)'
    # of a section that was folded out to fit: nothing below
    stale = "3 prices older than 120 days: pue (2026-01-19); the price dates say why each is kept"
    sections = []
    for i, title in enumerate(["Sources, price dates and assumptions (HEAD)", "Sources, price dates and assumptions"]):
        plain = _section(i, details_chars=40_000).markdown
        warning = f"**Warnings**\n\n- :warning: {stale} (under {title} below)\n\n"
        sections.append(Section(f"s{i}.yaml", plain.replace("<details>", warning + "<details>", 1)))
    text = render(sections, FOOTER)
    assert "below)" not in text
    assert text.count(f"{stale} (in its HTML report, with the sources)") == 2
