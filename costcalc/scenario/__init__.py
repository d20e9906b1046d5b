"""Scenario reading: YAML with line marks, loading and references, --set overrides, uncertain inputs."""
