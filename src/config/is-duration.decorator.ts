import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseDuration } from './duration.js';

/** A duration such as `90m`, `24h` or `30d`. */
export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseDuration(value) !== undefined,
        defaultMessage: (args) => `${args?.property} must be a duration such as 90m, 24h or 30d`,
      },
    },
    options,
  );
}
