import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { compileValidator } from './fast-validator.js';
import type { FieldError } from './protocol.js';

function flatten(errors: ValidationError[], prefix: string, out: FieldError[]): FieldError[] {
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : prefix ? `.${error.property}` : error.property;
    const path = `${prefix}${key}`;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator starts messages with the bare property name; name the full path instead.
      out.push({ path, message: message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}` });
    }
    if (error.children?.length) flatten(error.children, path, out);
  }
  return out;
}

/**
 * Validates a whole frame against its DTO: the frame, or every bad field with its path
 * (`data[3].cpuPercent`). Valid frames take the compiled fast path; class-validator itself runs
 * when something is wrong, to report it. Unknown properties are ignored, not refused, so newer
 * agents that send extra fields keep working (handlers read only the fields they know).
 */
export function validateFrame<T extends object>(dto: ClassConstructor<T>, body: object): { frame: T } | { errors: FieldError[] } {
  if (compileValidator(dto)(body)) return { frame: body as T };
  const frame = plainToInstance(dto, body);
  const errors = validateSync(frame, { whitelist: true, forbidUnknownValues: false, validationError: { target: false, value: false } });
  return errors.length ? { errors: flatten(errors, '', []) } : { frame };
}
