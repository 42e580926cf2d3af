/**
 * Means that cannot overflow float8. The sum of two accepted values near 1.8e308 is past the
 * largest double, and PostgreSQL raises an error rather than answering Infinity; numeric does not
 * help either (a float8 converts to numeric with 15 digits, and 1.7976931348623157e308 does not
 * come back). So values are summed scaled down by 2^32: no bucket holds 2^32 samples (a day at
 * one a millisecond is 8.64e7), and scaling by a power of two is exact, so ordinary values give
 * the very same result as a plain sum. The mean is clamped before it is scaled back up, so a
 * rounding up by the last bit cannot overflow either.
 */
const DOWN = '(2::float8 ^ -32)';
const UP = '(2::float8 ^ 32)';
const LIMIT = `(float8 '1.7976931348623157e308' * ${DOWN})`;

const scaledBack = (scaledMean: string) => `(LEAST(GREATEST(${scaledMean}, -${LIMIT}), ${LIMIT}) * ${UP})`;

/** The mean of a float8 expression over the group's rows. */
export const meanOf = (value: string) => scaledBack(`sum((${value}) * ${DOWN}) / count(*)`);

/** The mean of per-row means, each standing for `weight` samples (rollup minutes into wider buckets). */
export const weightedMeanOf = (mean: string, weight: string) => scaledBack(`sum((${mean}) * ${DOWN} * ${weight}) / sum(${weight})`);
