"""Build a tiny random-weight llama GGUF model in code (no download) for llama.cpp server tests."""

from __future__ import annotations

from pathlib import Path

from costcalc.throughput.loadgen.prompts import PROMPT_WORDS

# Architecture of the tiny model: small enough to write in well under a second and to decode
# hundreds of tokens per second on one CPU core, big enough to be a real llama graph.
N_LAYERS = 2
HIDDEN_SIZE = 64
N_HEADS = 4
N_KV_HEADS = 4
FFN_SIZE = 128
CONTEXT_LENGTH = 512
RMS_NORM_EPS = 1e-5
SEED = 1234

# SentencePiece ("llama") vocabulary: <unk> <s> </s>, the 256 byte-fallback tokens llama.cpp
# needs (it looks up "<0x0A>" for the newline token at load time), then whole words, then every
# prefix of them: llama.cpp's SPM tokenizer only merges two pieces whose concatenation is a token,
# so "▁the" is reached through "▁t" and "▁th".
UNK_ID, BOS_ID, EOS_ID = 0, 1, 2
SPM_SPACE = "\u2581"  # SentencePiece's word-boundary mark
# The words costcalc's prompts are made of: with them in the vocabulary, a prompt of N words is
# about N tokens, as it is for real tokenizers.
WORDS = tuple(PROMPT_WORDS)

# llama.cpp token types (llama_token_type / gguf.TokenType).
TOKEN_TYPE_NORMAL = 1
TOKEN_TYPE_UNKNOWN = 2
TOKEN_TYPE_CONTROL = 3
TOKEN_TYPE_BYTE = 6


def vocabulary() -> tuple[list[str], list[float], list[int]]:
    """Tokens, scores and token types of the tiny SentencePiece vocabulary."""
    tokens = ["<unk>", "<s>", "</s>"]
    types = [TOKEN_TYPE_UNKNOWN, TOKEN_TYPE_CONTROL, TOKEN_TYPE_CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [TOKEN_TYPE_BYTE] * 256
    pieces = [SPM_SPACE + word for word in WORDS]
    prefixes = sorted({p[:n] for p in pieces for n in range(2, len(p))} - set(pieces))
    for piece in [*pieces, *prefixes]:
        tokens.append(piece)
        types.append(TOKEN_TYPE_NORMAL)
    # Scores rank candidate merges; longer pieces first keeps every word one token.
    scores = [float(len(tok)) if typ == TOKEN_TYPE_NORMAL else 0.0 for tok, typ in zip(tokens, types, strict=True)]
    return tokens, scores, types


def word_token_ids() -> range:
    """Ids of the whole-word tokens (the only ones the model ever generates; prefixes follow)."""
    first = 3 + 256
    return range(first, first + len(WORDS))


def write_tiny_llama(path: Path) -> Path:
    """Write the tiny llama model to `path` (GGUF, f32 weights) and return the path.

    The output projection is zero for every control and byte token and large for word tokens,
    so greedy decoding always picks a whole word: never end-of-sequence, never a partial UTF-8
    byte. A request for N tokens therefore streams exactly N chunks of text.
    """
    import gguf
    import numpy as np

    rng = np.random.default_rng(SEED)
    tokens, scores, types = vocabulary()
    n_vocab = len(tokens)
    head_dim = HIDDEN_SIZE // N_HEADS

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("costcalc-tiny-llama")
    writer.add_context_length(CONTEXT_LENGTH)
    writer.add_embedding_length(HIDDEN_SIZE)
    writer.add_block_count(N_LAYERS)
    writer.add_feed_forward_length(FFN_SIZE)
    writer.add_head_count(N_HEADS)
    writer.add_head_count_kv(N_KV_HEADS)
    writer.add_layer_norm_rms_eps(RMS_NORM_EPS)
    writer.add_rope_dimension_count(head_dim)
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(UNK_ID)
    writer.add_bos_token_id(BOS_ID)
    writer.add_eos_token_id(EOS_ID)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)

    def weight(*shape: int, scale: float = 0.1) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    ones = np.ones(HIDDEN_SIZE, dtype=np.float32)
    # numpy shapes are (rows, cols) = ggml (ne1, ne0): ggml wants {n_embd, n_out} for a projection.
    writer.add_tensor("token_embd.weight", weight(n_vocab, HIDDEN_SIZE, scale=1.0))
    for layer in range(N_LAYERS):
        blk = f"blk.{layer}"
        writer.add_tensor(f"{blk}.attn_norm.weight", ones.copy())
        writer.add_tensor(f"{blk}.attn_q.weight", weight(N_HEADS * head_dim, HIDDEN_SIZE))
        writer.add_tensor(f"{blk}.attn_k.weight", weight(N_KV_HEADS * head_dim, HIDDEN_SIZE))
        writer.add_tensor(f"{blk}.attn_v.weight", weight(N_KV_HEADS * head_dim, HIDDEN_SIZE))
        writer.add_tensor(f"{blk}.attn_output.weight", weight(HIDDEN_SIZE, N_HEADS * head_dim))
        writer.add_tensor(f"{blk}.ffn_norm.weight", ones.copy())
        writer.add_tensor(f"{blk}.ffn_gate.weight", weight(FFN_SIZE, HIDDEN_SIZE))
        writer.add_tensor(f"{blk}.ffn_up.weight", weight(FFN_SIZE, HIDDEN_SIZE))
        writer.add_tensor(f"{blk}.ffn_down.weight", weight(HIDDEN_SIZE, FFN_SIZE))
    writer.add_tensor("output_norm.weight", ones.copy())
    output = np.zeros((n_vocab, HIDDEN_SIZE), dtype=np.float32)
    words = word_token_ids()
    output[words.start : words.stop] = weight(len(words), HIDDEN_SIZE, scale=1.0)
    writer.add_tensor("output.weight", output)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
