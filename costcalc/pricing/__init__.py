"""Dated, sourced price tables: shipped rows, user overrides and refreshed catalogs, as typed lookups."""
