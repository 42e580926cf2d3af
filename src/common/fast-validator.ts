import type { ClassConstructor } from 'class-transformer';
import { getFromContainer, getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

type Check = (value: unknown) => boolean;

const itemTypes = new Map<Function, Map<string, () => Function>>();
const compiled = new WeakMap<Function, Check>();
const shapes = new WeakMap<Function, DtoShape>();

/** Records the element class of a `@ValidateNested({each: true})` array, for compileValidator. */
export function registerItemType(target: Function, property: string, type: () => Function): void {
  if (!itemTypes.has(target)) itemTypes.set(target, new Map());
  itemTypes.get(target)!.set(property, type);
}

/** What a DTO declares, read once from its metadata: its properties, the optional ones, and its arrays of nested items. */
export interface DtoShape {
  properties: string[];
  optional: string[];
  items: Map<string, Function>;
  /** Whether this DTO or any nested item DTO has an optional property (else nulls need no clearing). */
  hasOptional: boolean;
}

export function shapeOf(target: Function): DtoShape {
  let shape = shapes.get(target);
  if (shape) return shape;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const properties = [...new Set(metadatas.map((m) => m.propertyName))];
  const optional = [...new Set(metadatas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName))];
  const items = new Map([...(itemTypes.get(target) ?? [])].map(([property, type]) => [property, type()]));
  shape = { properties, optional, items, hasOptional: optional.length > 0 || [...items.values()].some((type) => shapeOf(type).hasOptional) };
  shapes.set(target, shape);
  return shape;
}

/**
 * Decides "valid or not" with the very constraint functions class-validator runs for a DTO
 * (read from its metadata), minus class-validator's per-object bookkeeping and without
 * class-transformer: on a 1,000-item frame that bookkeeping was the ingest path's largest cost.
 * It only accepts; whenever it says no (or meets a rule it does not know), the caller runs full
 * class-validator, which produces the error report. So both paths enforce the same DTO.
 */
export function compileValidator(target: ClassConstructor<object>): Check {
  let check = compiled.get(target);
  if (!check) compiled.set(target, (check = build(target)));
  return check;
}

function build(target: Function): Check {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const properties = new Map<string, typeof metadatas>();
  for (const m of metadatas) properties.set(m.propertyName, [...(properties.get(m.propertyName) ?? []), m]);
  const checks: Check[] = [];
  for (const [property, list] of properties) {
    const conditions: ((object: object, value: unknown) => boolean)[] = [];
    const rules: Check[] = [];
    for (const m of list) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        conditions.push(m.constraints[0]);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && !getMetadataStorage().getTargetValidatorConstraints(m.constraintCls).some((c) => c.async)) {
        const constraint = getFromContainer(m.constraintCls) as ValidatorConstraintInterface;
        const args = { targetName: target.name, property, constraints: m.constraints, object: {}, value: undefined } as ValidationArguments;
        const one: Check = (value) => {
          args.value = value;
          return constraint.validate(value, args) === true;
        };
        rules.push(m.each ? (value) => Array.isArray(value) && value.every(one) : one);
      } else if (m.type === ValidationTypes.NESTED_VALIDATION && m.each && itemTypes.get(target)?.has(property)) {
        const itemType = itemTypes.get(target)!.get(property)!;
        rules.push((value) => Array.isArray(value) && value.every(compileValidator(itemType() as ClassConstructor<object>)));
      } else {
        return () => false; // a rule this fast path does not know: always defer to class-validator
      }
    }
    checks.push((object) => {
      const value = (object as Record<string, unknown>)[property];
      if (!conditions.every((condition) => condition(object as object, value))) return true;
      return rules.every((rule) => rule(value));
    });
  }
  return (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && checks.every((check) => check(value));
}
