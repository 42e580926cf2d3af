import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Whether text is something PostgreSQL can store and compare: no NUL character, no unpaired UTF-16 surrogate. */
export const isCleanText = (value: string): boolean => value.isWellFormed() && !value.includes('\u0000');

/**
 * Refuses (400, naming the field) a string holding a NUL character or a lone surrogate: both are
 * valid JSON but not text the database takes, and would otherwise fail deep inside a query.
 * Non-strings pass through, for the field's type check to report.
 */
export const IsCleanText = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCleanText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isCleanText(value),
        defaultMessage: (args) => `${args?.property} must not contain NUL characters or unpaired UTF-16 surrogates`,
      },
    },
    options,
  );
