"""The load generator's request pieces (throughput/loadgen/): the endpoint URL, prompts without a shared prefix, the
JSON body, the secrets kept out of a failed request's detail."""

from __future__ import annotations

from costcalc.throughput.loadgen.prompts import PROMPT_WORDS, build_prompt, request_body
from costcalc.throughput.loadgen.record import ERROR_EXAMPLE_CHARS, TIMEOUT, RequestRecord, fail
from costcalc.throughput.loadgen.target import Target, secrets_of

TARGET = Target("http://user:pa%24%24word@127.0.0.1:8000/", "m", 100, 20, api_key="sk-secret-key-123")


def test_the_url_gains_v1_once_and_the_key_never_shows() -> None:
    assert TARGET.url == "http://user:pa%24%24word@127.0.0.1:8000/v1/chat/completions"
    assert Target("http://h/v1", "m", 1, 1, endpoint="completions").url == "http://h/v1/completions"
    assert "sk-secret" not in repr(TARGET)
    assert set(secrets_of(TARGET)) == {"sk-secret-key-123", "pa%24%24word", "pa$$word"}


def test_prompts_have_the_words_asked_for_and_no_shared_prefix() -> None:
    first, second = build_prompt(50, 1), build_prompt(50, 2)
    assert len(first.split()) == len(second.split()) == 50 and first.split()[0] != second.split()[0]
    assert set(first.split()) <= set(PROMPT_WORDS)


def test_the_body_asks_for_a_stream_of_exactly_the_output_tokens() -> None:
    body = request_body(TARGET, "hello")
    assert body["messages"] == [{"role": "user", "content": "hello"}] and body["max_tokens"] == 20
    assert body["stream"] is True and body["ignore_eos"] is True
    plain = request_body(Target("http://h", "m", 1, 5, endpoint="completions", ignore_eos=False), "hi")
    assert plain["prompt"] == "hi" and "ignore_eos" not in plain


def test_a_failure_masks_secrets_and_is_cut() -> None:
    record = fail(RequestRecord(start_s=0.0), TIMEOUT, "token sk-secret-key-123 " + "x" * 500, secrets_of(TARGET))
    assert record.error == TIMEOUT and not record.ok
    assert "sk-secret" not in record.error_detail and len(record.error_detail) == ERROR_EXAMPLE_CHARS
