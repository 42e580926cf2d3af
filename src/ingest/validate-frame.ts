import type { ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { compileValidator, shapeOf } from '../common/fast-validator.js';
import { isPlainObject } from '../common/json-shape.js';
import { ITEMS_ARE_OBJECTS } from '../common/validation.js';
import type { FieldError } from './protocol.js';

function flatten(errors: ValidationError[], prefix: string, out: FieldError[]): FieldError[] {
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : prefix ? `.${error.property}` : error.property;
    const path = `${prefix}${key}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      // The items rule names the first item that is not an object: reported there, as an item's bad field is.
      const at = constraint === ITEMS_ARE_OBJECTS ? `${path}${/^[^[\s]*(\[\d+\])/.exec(message)?.[1] ?? ''}` : path;
      // class-validator starts messages with the bare property name; name the full path instead.
      const named = message.startsWith(`${error.property} `) || message.startsWith(`${error.property}[`);
      out.push({ path: at, message: named ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}` });
    }
    if (error.children?.length) flatten(error.children, path, out);
  }
  return out;
}

/**
 * A DTO instance for class-validator holding only the properties the DTO declares, with items of
 * nested arrays instantiated the same way. Replaces class-transformer here: it walks every value
 * however deep (unknown properties included) and builds objects from a value's own `constructor`
 * key, so hostile frames made it overflow the stack or throw. Items that are not objects are left
 * out: the Items rule reports them on the array, and class-validator must not descend into them.
 */
function instantiate(dto: Function, body: Record<string, unknown>): object {
  const shape = shapeOf(dto);
  const instance = Object.create(dto.prototype) as Record<string, unknown>;
  for (const property of shape.properties) {
    if (!Object.hasOwn(body, property)) continue;
    const value = body[property];
    const itemType = shape.items.get(property);
    instance[property] = itemType && Array.isArray(value) ? value.map((item) => (isPlainObject(item) ? instantiate(itemType, item) : undefined)) : value;
  }
  return instance;
}

/** Optional properties sent as null mean "absent" (agents in many languages write null for none): dropped, for handlers to see undefined. */
function dropNullOptionals(dto: Function, frame: Record<string, unknown>): void {
  const shape = shapeOf(dto);
  if (!shape.hasOptional) return;
  for (const property of shape.optional) if (frame[property] === null) delete frame[property];
  for (const [property, itemType] of shape.items) {
    if (shapeOf(itemType).hasOptional) for (const item of frame[property] as Record<string, unknown>[]) dropNullOptionals(itemType, item);
  }
}

/** The slow path alone: full class-validator on the declared properties, with its error report. */
export function reportFrame<T extends object>(dto: ClassConstructor<T>, body: object): { instance: T; errors: FieldError[] } {
  if (!isPlainObject(body)) return { instance: body as T, errors: [{ path: '', message: 'a frame must be an object' }] };
  const instance = instantiate(dto, body) as T;
  const errors = validateSync(instance, { forbidUnknownValues: false, validationError: { target: false, value: false } });
  return { instance, errors: flatten(errors, '', []) };
}

/**
 * Validates a whole frame against its DTO: the frame, or every bad field with its path
 * (`data[3].cpuPercent`). Valid frames take the compiled fast path; class-validator itself runs
 * when something is wrong, to report it. Unknown properties are ignored, not refused, so newer
 * agents that send extra fields keep working (handlers read only the fields they know).
 */
export function validateFrame<T extends object>(dto: ClassConstructor<T>, body: object): { frame: T } | { errors: FieldError[] } {
  let frame = body as T;
  if (!compileValidator(dto)(body)) {
    const report = reportFrame(dto, body);
    if (report.errors.length) return { errors: report.errors };
    frame = report.instance;
  }
  dropNullOptionals(dto, frame as Record<string, unknown>);
  return { frame };
}
