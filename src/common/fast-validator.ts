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

/** A RegExp that `test` reads as `match` does: no global or sticky state between calls. */
const statelessRegExp = (pattern: unknown): pattern is RegExp => pattern instanceof RegExp && !pattern.global && !pattern.sticky;

interface PropertyCheck {
  property: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: Check[];
}

// Plain loops, no closure per value: on a 1,000-row frame the closures of `every` were the ingest path's largest allocation.
function passes(checks: PropertyCheck[], object: Record<string, unknown>): boolean {
  for (let c = 0; c < checks.length; c++) {
    const { property, conditions, rules } = checks[c];
    const value = object[property];
    let applies = true;
    for (let i = 0; i < conditions.length && applies; i++) applies = conditions[i](object, value);
    if (!applies) continue;
    for (let i = 0; i < rules.length; i++) if (!rules[i](value)) return false;
  }
  return true;
}

function everyItem(value: unknown, check: Check): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
  return true;
}

function build(target: Function): Check {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const properties = new Map<string, typeof metadatas>();
  for (const m of metadatas) properties.set(m.propertyName, [...(properties.get(m.propertyName) ?? []), m]);
  const checks: PropertyCheck[] = [];
  for (const [property, list] of properties) {
    const conditions: PropertyCheck['conditions'] = [];
    const rules: Check[] = [];
    for (const m of list) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        conditions.push(m.constraints[0]);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && m.name === 'matches' && statelessRegExp(m.constraints?.[0])) {
        // class-validator's Matches is validator.js's `!!value.match(pattern)`, which allocates the match.
        const pattern = m.constraints[0] as RegExp;
        const one: Check = (value) => typeof value === 'string' && pattern.test(value);
        rules.push(m.each ? (value) => everyItem(value, one) : one);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && !getMetadataStorage().getTargetValidatorConstraints(m.constraintCls).some((c) => c.async)) {
        const constraint = getFromContainer(m.constraintCls) as ValidatorConstraintInterface;
        const args = { targetName: target.name, property, constraints: m.constraints, object: {}, value: undefined } as ValidationArguments;
        const one: Check = (value) => {
          args.value = value;
          return constraint.validate(value, args) === true;
        };
        rules.push(m.each ? (value) => everyItem(value, one) : one);
      } else if (m.type === ValidationTypes.NESTED_VALIDATION && m.each && itemTypes.get(target)?.has(property)) {
        const itemType = itemTypes.get(target)!.get(property)!;
        let item: Check | undefined;
        rules.push((value) => everyItem(value, (item ??= compileValidator(itemType() as ClassConstructor<object>))));
      } else {
        return () => false; // a rule this fast path does not know: always defer to class-validator
      }
    }
    checks.push({ property, conditions, rules });
  }
  return (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && passes(checks, value as Record<string, unknown>);
}
