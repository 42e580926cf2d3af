import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsArray, isEmail, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateNested } from 'class-validator';
import { registerItemType } from './fast-validator.js';
import { isCleanText, isPlainObject, labelsProblem, portsProblem } from './json-shape.js';
import { parseTimestamp } from './timestamp.js';

/** A trimmed, lower-cased email of at most 254 characters. */
export const IsAccountEmail = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    MaxLength(254),
    ValidateBy({
      name: 'isEmail',
      validator: {
        // validator.js's isEmail throws (URIError) on a lone surrogate; IsCleanText reports those.
        validate: (value: unknown) => typeof value === 'string' && value.isWellFormed() && isEmail(value),
        defaultMessage: () => 'email must be a valid email address',
      },
    }),
  );

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/** At least 10 characters mixing at least two of lowercase, uppercase, digits and symbols. */
export const IsStrongEnoughPassword = () =>
  applyDecorators(
    IsString(),
    MinLength(10, { message: '$property must be at least 10 characters long' }),
    MaxLength(128),
    ValidateBy({
      name: 'isStrongEnoughPassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && CLASSES.filter((c) => c.test(value)).length >= 2 && !/^(.)\1*$/.test(value),
        defaultMessage: (args) => `${args?.property ?? 'password'} must mix at least two of: lowercase letters, uppercase letters, digits, symbols`,
      },
    }),
  );

/** A trimmed, non-empty display name of at most `max` characters. */
export const IsName = (max = 100) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    MinLength(1),
    MaxLength(max),
    Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' }),
  );

/** An ISO 8601 timestamp (fraction up to nanoseconds) or epoch milliseconds; read it with parseTimestamp. */
export const IsTimestamp = () =>
  ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: (value: unknown) => parseTimestamp(value) !== undefined,
      defaultMessage: (args) => `${args?.property} must be an ISO 8601 timestamp or epoch milliseconds`,
    },
  });

const firstNonObject = (items: unknown[]) => items.findIndex((item) => !isPlainObject(item));
export const ITEMS_ARE_OBJECTS = 'isObjectItems';

/**
 * An array of `type` items, each validated whole (class-validator and the ingest fast path). Items
 * must be objects: that is checked first, so nothing walks into an array or primitive in their place.
 */
export const Items = (type: () => Function) =>
  applyDecorators(
    IsArray(),
    ValidateBy({
      name: ITEMS_ARE_OBJECTS,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || firstNonObject(value) === -1,
        defaultMessage: (args) => {
          const index = firstNonObject(args?.value as unknown[]);
          return `${args?.property}[${index}] must be an object; every item of ${args?.property} must be one`;
        },
      },
    }),
    ValidateNested({ each: true }),
    Type(type),
    (target: object, property: string | symbol) => registerItemType(target.constructor, String(property), type),
  );

/** The largest value of a PostgreSQL `integer` (int4) column. */
export const INT4_MAX = 2_147_483_647;

/**
 * A non-negative integer count. Without `max`, one that JavaScript represents exactly (below 2^53,
 * for `bigint` columns); pass INT4_MAX for `integer` columns (pids, threads).
 */
export const IsCount = (max = Number.MAX_SAFE_INTEGER) =>
  ValidateBy({
    name: 'isCount',
    validator: {
      validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max,
      defaultMessage: (args) => `${args?.property} must be an integer from 0 to ${max}`,
    },
  });

/** A string with no NUL character and no lone surrogate, for values stored as given (ids), where cleaning would change them. */
export const IsCleanText = () =>
  ValidateBy({
    name: 'isCleanText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCleanText(value),
      defaultMessage: (args) => `${args?.property} must be a string without NUL characters or lone surrogates`,
    },
  });

/**
 * A check whose message is computed from the value and put after the field's name: `labels["app"]
 * must be a string`, `containerNames.2 must be …` (a problem starting with `[` or `.` names a part).
 */
export const ValidatesWith = (name: string, problemOf: (value: unknown) => string | undefined) =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => problemOf(value) === undefined,
      defaultMessage: (args) => {
        const problem = problemOf(args?.value) ?? 'is invalid';
        return `${args?.property}${/^[[.]/.test(problem) ? '' : ' '}${problem}`;
      },
    },
  });

/** Docker labels: a flat object of clean strings, bounded in entries and length (see json-shape.ts). */
export const IsLabels = () => ValidatesWith('isLabels', labelsProblem);

/** Docker port bindings: an array of flat objects of clean short strings, finite numbers, booleans or null. */
export const IsPorts = () => ValidatesWith('isPorts', portsProblem);
