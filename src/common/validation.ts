import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsArray, isEmail, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateNested } from 'class-validator';
import { registerItemType } from '../ingest/fast-validator.js';
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
    MinLength(10, { message: 'password must be at least 10 characters long' }),
    MaxLength(128),
    ValidateBy({
      name: 'isStrongEnoughPassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && CLASSES.filter((c) => c.test(value)).length >= 2 && !/^(.)\1*$/.test(value),
        defaultMessage: () => 'password must mix at least two of: lowercase letters, uppercase letters, digits, symbols',
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

/** An array of `type` items, each validated whole (class-validator and the ingest fast path). */
export const Items = (type: () => Function) =>
  applyDecorators(IsArray(), ValidateNested({ each: true }), Type(type), (target: object, property: string | symbol) =>
    registerItemType(target.constructor, String(property), type),
  );

/** A non-negative integer count (bytes, pids …) that JavaScript represents exactly. */
export const IsCount = () =>
  applyDecorators(
    ValidateBy({
      name: 'isCount',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0,
        defaultMessage: (args) => `${args?.property} must be a non-negative integer`,
      },
    }),
  );
