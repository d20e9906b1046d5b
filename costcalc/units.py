"""House constants, each defined once: hours per month, tokens per price unit, byte sizes."""

HOURS_PER_DAY = 24.0
HOURS_PER_MONTH = 730.0  # 365 * 24 / 12
DAYS_PER_MONTH = HOURS_PER_MONTH / HOURS_PER_DAY  # 30.4166...
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR
MONTHS_PER_YEAR = 12
TOKENS_PER_MTOK = 1_000_000.0  # prices are stored per 1M tokens
WATTS_PER_KW = 1000.0
BYTES_PER_GB = 1e9  # decimal GB, as GPU vendors state bandwidth (memory they state in GiB: "80 GB" is 80 GiB)
FLOPS_PER_TFLOP = 1e12
FLOPS_PER_MAC = 2.0  # one multiply-accumulate = two floating-point operations
MS_PER_S = 1000.0
BYTES_PER_MB = 1_000_000  # download limits
