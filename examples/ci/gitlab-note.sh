#!/usr/bin/env bash
# Post a Markdown file as a merge-request note, or update the note costcalc posted before
# (found by its marker). Needs COSTCALC_BOT_TOKEN (api scope) and GitLab's predefined CI variables.
#
#   gitlab-note.sh COMMENT.md
set -euo pipefail

file="$1"
marker='<!-- costcalc-report -->'
if [[ -z "${COSTCALC_BOT_TOKEN:-}" ]]; then
  echo "gitlab-note: COSTCALC_BOT_TOKEN is not set; not posting (the report is in the artifact)" >&2
  exit 0
fi
api="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
auth=(--header "PRIVATE-TOKEN: $COSTCALC_BOT_TOKEN")
note_id="$(curl -sSf "${auth[@]}" "$api?per_page=100&sort=asc" \
  | jq -r --arg m "$marker" '[.[] | select(.body | contains($m))][0].id // empty')"
payload="$(jq -Rs '{body: .}' < "$file")"
if [[ -n "$note_id" ]]; then
  curl -sSf "${auth[@]}" --header "Content-Type: application/json" -X PUT --data "$payload" "$api/$note_id" > /dev/null
else
  curl -sSf "${auth[@]}" --header "Content-Type: application/json" -X POST --data "$payload" "$api" > /dev/null
fi
