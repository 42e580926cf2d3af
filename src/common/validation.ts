import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { parseTimestamp } from './timestamp.js';

/** A trimmed, lower-cased email of at most 254 characters. */
export const IsAccountEmail = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: 'email must be a valid email address' }),
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

/**
 * An ISO 8601 timestamp or epoch milliseconds, turned into a Timestamp for the handler.
 * Left untouched when unparseable so the validator can name the field.
 */
export const IsTimestamp = () =>
  applyDecorators(
    Transform(({ value }) => parseTimestamp(value) ?? value),
    ValidateBy({
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && 'ms' in value,
        defaultMessage: (args) => `${args?.property} must be an ISO 8601 timestamp or epoch milliseconds`,
      },
    }),
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
