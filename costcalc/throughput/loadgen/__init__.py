"""Closed-loop load generator: N threads stream completions from an OpenAI-compatible server.

target (the endpoint and each request's shape), prompts (the text and JSON body), record (one request's outcome),
stream (one worker's client), level (N workers for a count or a duration).
"""
