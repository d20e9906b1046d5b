#!/usr/bin/env bash
# Cost report for the scenario files a change touches, for CI (used by both example pipelines).
#
#   costcalc-ci.sh BASE_REF OUT_DIR SCENARIO.yaml...
#   git diff --name-only ... | costcalc-ci.sh BASE_REF OUT_DIR     (file names on stdin, one a line)
#
# For each scenario: `costcalc diff` against its version at BASE_REF (or `costcalc report` when the
# file is new) as Markdown, and `costcalc report --format html` for the artifact. Writes
# OUT_DIR/comment.md (one pull-request comment, marked so CI can update it instead of adding
# another) and OUT_DIR/<name>.html. Extra guardrails: one expression per line in $COSTCALC_FAIL_IF.
# Exit status: 0 all fine, 1 a guardrail tripped (reports still written), 2 a scenario is invalid.
set -uo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BASE_REF OUT_DIR SCENARIO.yaml..." >&2
  exit 2
fi
base_ref="$1"
out="$2"
shift 2
if [[ $# -eq 0 && ! -t 0 ]]; then
  mapfile -t names  # no file arguments: read the names from stdin
  set -- "${names[@]}"
fi
mkdir -p "$out"

fail_if=()         # for `costcalc diff`: every expression
report_fail_if=()  # for `costcalc report` on a new file: diff.* metrics need a base, so not those
while IFS= read -r expr; do
  [[ -z "$expr" ]] && continue
  fail_if+=(--fail-if "$expr")
  [[ "$expr" == diff.* ]] || report_fail_if+=(--fail-if "$expr")
done <<< "${COSTCALC_FAIL_IF:-}"

marker='<!-- costcalc-report -->'
comment="$out/comment.md"
body="$out/.body.md"
: > "$body"
status=0
count=0

worst() {  # keep the most serious exit status: 2 (invalid input) > 1 (guardrail) > 0
  if (( $1 > status )); then status=$1; fi
}

for file in "$@"; do
  [[ -n "$file" && -f "$file" ]] || continue  # deleted by this change
  count=$((count + 1))
  name="$(basename "$file" .yaml)"
  md="$out/$name.md"
  # the base version sits beside the head one, so relative paths inside it resolve the same way
  base_copy="$(dirname "$file")/.costcalc-base-$name.yaml"
  if git show "$base_ref:$file" > "$base_copy" 2>/dev/null; then
    costcalc diff "$base_copy" "$file" --format markdown --output "$md" "${fail_if[@]}"
    rc=$?
  else
    costcalc report "$file" --format markdown --output "$md" "${report_fail_if[@]}"
    rc=$?
  fi
  rm -f "$base_copy"
  worst "$rc"
  if [[ -f "$md" ]]; then
    grep -v -F "$marker" "$md" >> "$body"
  else
    printf '### %s\n\n:x: costcalc could not read `%s` (exit %s); see the job log.\n' "$name" "$file" "$rc" >> "$body"
  fi
  printf '\n' >> "$body"
  # the HTML report for the artifact; its guardrails were counted above
  costcalc report "$file" --format html --output "$out/$name.html" --no-chart
  rc=$?
  if (( rc >= 2 )); then worst "$rc"; fi
done

{
  echo "$marker"
  if (( count == 0 )); then
    echo "No scenario file changed."
  else
    cat "$body"
    echo "_HTML reports are attached to this CI run as the \`costcalc-report\` artifact._"
  fi
} > "$comment"
rm -f "$body"
exit "$status"
