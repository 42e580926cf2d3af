import { ValidateIf } from 'class-validator';
import { isCleanText, isPlainObject } from '../../../common/json-shape.js';
import { ValidatesWith } from '../../../common/validation.js';
import { durationProblem, RULE_LIMITS, type DurationBounds } from '../rule-limits.js';

/** A duration as written (`5m`) within bounds. */
export const IsDurationBetween = (bounds: DurationBounds) => ValidatesWith('isDurationBetween', (value) => durationProblem(value, bounds));

/**
 * An array of at most `max` items, each passing `check`; the message names the first bad item by
 * its index (`containerNames.2 must be …`), as Nest names the fields of nested objects.
 */
export const EachItem = (max: number, check: (item: unknown) => boolean, requirement: string, options: { unique?: boolean; nonEmpty?: boolean } = {}) =>
  ValidatesWith('eachItem', (value) => {
    if (!Array.isArray(value)) return `must be an array of ${max} items at most, each ${requirement}`;
    if (options.nonEmpty && !value.length) return 'must not be empty';
    if (value.length > max) return `must have at most ${max} items`;
    const bad = value.findIndex((item) => !check(item));
    if (bad >= 0) return `.${bad} must be ${requirement}`;
    if (options.unique) {
      const keys = value.map((item) => String(item).toLowerCase());
      const repeated = keys.findIndex((key, index) => keys.indexOf(key) !== index);
      if (repeated >= 0) return `.${repeated} repeats an earlier item`;
    }
    return undefined;
  });

/** Container labels to match exactly: an object of strings, bounded in keys and lengths. */
export const IsLabelMatch = () =>
  ValidatesWith('isLabelMatch', (value) => {
    if (!isPlainObject(value)) return 'must be an object of string values';
    const keys = Object.keys(value);
    if (keys.length > RULE_LIMITS.scopeLabels) return `must have at most ${RULE_LIMITS.scopeLabels} keys`;
    for (const key of keys) {
      if (!key.length || key.length > RULE_LIMITS.labelKeyLength || !isCleanText(key) || key === '__proto__') {
        return `has an invalid key ${JSON.stringify(key)}: keys are 1 to ${RULE_LIMITS.labelKeyLength} characters, without NUL`;
      }
      const label = value[key];
      if (typeof label !== 'string' || label.length > RULE_LIMITS.labelValueLength || !isCleanText(label)) {
        return `.${key} must be a string of at most ${RULE_LIMITS.labelValueLength} characters, without NUL`;
      }
    }
    return undefined;
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Optional, but null is not a value: unlike IsOptional, `null` is checked (and refused) like any other. */
export const IfPresent = () => ValidateIf((_, value) => value !== undefined);
