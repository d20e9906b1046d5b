"""The report stage: the typed Result schema, verdict facts, the diff of two Results, guardrail evaluation."""
