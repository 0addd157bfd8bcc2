/**
 * Validates every argument of an operation before any of it runs. type-graphql checks a field's arguments
 * only when that field resolves, so a mutation wrote first and a bad argument further down its selection
 * (`mergeCustomers(…) { calls(first: 101) { … } }`) was found after the commit, and the client was told
 * that the write had failed. Mutations now check the whole operation first (operation-guards.ts); a
 * mutation operation has one root field (one-mutation.ts). Each argument is converted into the class its
 * resolver declares, as type-graphql does (from its metadata), and checked with the same class-validator
 * rules (validate-args.ts).
 */
import {
  type FieldNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { ArgumentValidationError, getMetadataStorage } from 'type-graphql';

import { unstorableArguments } from './storable-arguments';
import { argumentProblems } from './validate-args';

/** A resolver parameter that takes arguments: one (`@Arg`) or a class of them (`@Args`). */
type ArgumentParam = { kind: 'arg'; name: string; getType(): unknown } | { kind: 'args'; getType(): unknown };

/** The property names of an input or args class, its superclasses' included. */
type ClassFields = { name: string; getType(): unknown }[];

interface Walk {
  info: GraphQLResolveInfo;
  /**
   * Fragments already entered. A fragment's arguments are the same wherever it is spread, so each is
   * checked once: walking every spread made a document whose fragments each spread the next one twice
   * take 2^n steps (20 levels in under 1 KB held the event loop for seconds). It also stops cycles.
   */
  entered: Set<string>;
}

/** The argument rules of a schema's resolvers, ready to check whole operations. */
export class OperationArguments {
  private readonly params = new Map<string, ArgumentParam[]>();
  private readonly classes = new Map<unknown, ClassFields>();
  private readonly needsCheck = new WeakMap<OperationDefinitionNode, boolean>();

  constructor(schema: GraphQLSchema) {
    const storage = getMetadataStorage();
    const objectName = new Map<unknown, string>(storage.objectTypes.map((o) => [o.target, o.name]));
    const add = (typeName: string | undefined, handler: { schemaName: string; params?: unknown[] }) => {
      const params = (handler.params ?? []).filter(isArgumentParam);
      if (typeName && params.length > 0) this.params.set(`${typeName}.${handler.schemaName}`, params);
    };
    for (const query of storage.queries) add(schema.getQueryType()?.name, query);
    for (const mutation of storage.mutations) add(schema.getMutationType()?.name, mutation);
    for (const field of storage.fieldResolvers) add(objectName.get(field.getObjectType?.()), field);
    for (const type of [...storage.inputTypes, ...storage.argumentTypes]) {
      this.classes.set(type.target, this.fieldsOf(type.target, [...storage.inputTypes, ...storage.argumentTypes]));
    }
  }

  /**
   * The error for the first field (in document order) whose arguments are invalid, located at that
   * field's path (without list indexes); undefined when every argument passes. A mutation with no
   * arguments below its root field needs no check: type-graphql validates that field before running it.
   */
  firstError(info: GraphQLResolveInfo): GraphQLError | undefined {
    let needed = this.needsCheck.get(info.operation);
    if (needed === undefined) {
      needed = this.hasArgumentsBelowRoot(info);
      this.needsCheck.set(info.operation, needed);
    }
    if (!needed) return undefined;
    return this.selectionSet(info.operation.selectionSet, info.parentType, [], { info, entered: new Set() });
  }

  private selectionSet(set: SelectionSetNode, parentType: GraphQLNamedType | undefined, path: string[], walk: Walk): GraphQLError | undefined {
    for (const selection of set.selections) {
      if (!this.included(selection, walk)) continue;
      let error: GraphQLError | undefined;
      if (selection.kind === Kind.FIELD) {
        error = this.field(selection, parentType, path, walk);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.type(selection.typeCondition.name.value, walk) : parentType;
        error = this.selectionSet(selection.selectionSet, type, path, walk);
      } else {
        const fragment = walk.info.fragments[selection.name.value];
        if (!fragment || walk.entered.has(fragment.name.value)) continue;
        walk.entered.add(fragment.name.value);
        error = this.selectionSet(fragment.selectionSet, this.type(fragment.typeCondition.name.value, walk), path, walk);
      }
      if (error) return error;
    }
    return undefined;
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined, path: string[], walk: Walk): GraphQLError | undefined {
    if (!isObjectType(parentType) && !isInterfaceType(parentType)) return undefined;
    const definition = parentType.getFields()[node.name.value];
    if (!definition) return undefined;
    const here = [...path, (node.alias ?? node.name).value];
    const params = this.params.get(`${parentType.name}.${definition.name}`);
    if (params) {
      const args = getArgumentValues(definition, node, walk.info.variableValues);
      const errors = [...unstorableArguments(args), ...params.flatMap((param) => argumentProblems(this.instance(param, args), args))];
      if (errors.length > 0) {
        return new GraphQLError('Validation failed', { nodes: [node], path: here, originalError: new ArgumentValidationError(errors) });
      }
    }
    return node.selectionSet ? this.selectionSet(node.selectionSet, getNamedType(definition.type), here, walk) : undefined;
  }

  /** What the resolver receives for the parameter: the argument, or the args class, as class instances. */
  private instance(param: ArgumentParam, args: Record<string, unknown>): unknown {
    if (param.kind === 'arg') return this.convert(param.getType(), args[param.name]);
    return this.convert(param.getType(), args);
  }

  private convert(target: unknown, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.convert(target, item));
    const fields = this.classes.get(target);
    if (!fields || value === null || typeof value !== 'object') return value;
    const data = value as Record<string, unknown>;
    const instance = new (target as new () => Record<string, unknown>)();
    for (const field of fields) {
      if (data[field.name] !== undefined) instance[field.name] = this.convert(field.getType(), data[field.name]);
    }
    return instance;
  }

  private fieldsOf(target: object, types: { target: object; fields?: ClassFields }[]): ClassFields {
    const fields: ClassFields = [];
    // Up the class chain (a subclass's own fields first), stopping at Function.prototype.
    for (let type: object | null = target; (type as { prototype?: unknown } | null)?.prototype; type = Object.getPrototypeOf(type)) {
      const own = types.find((t) => t.target === type)?.fields ?? [];
      fields.push(...own.filter((f) => !fields.some((known) => known.name === f.name)));
    }
    return fields;
  }

  private included(selection: SelectionNode, walk: Walk): boolean {
    if (!selection.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, selection, walk.info.variableValues)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, selection, walk.info.variableValues)?.if !== false;
  }

  private type(name: string, walk: Walk): GraphQLNamedType | undefined {
    return walk.info.schema.getType(name) ?? undefined;
  }

  /** Whether any field below the root field has arguments (the root field's own are type-graphql's to check). */
  private hasArgumentsBelowRoot(info: GraphQLResolveInfo): boolean {
    let nested = false;
    // Each fragment is visited once at the root and once below it (what it adds depends only on that),
    // never once per spread: spreads that double at every level would make that 2^n visits.
    const visited = { root: new Set<string>(), below: new Set<string>() };
    const visit = (set: SelectionSetNode, depth: number) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (depth > 0 && selection.arguments?.length) nested = true;
          if (selection.selectionSet) visit(selection.selectionSet, depth + 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet, depth);
        } else {
          const seen = depth === 0 ? visited.root : visited.below;
          const fragment = info.fragments[selection.name.value];
          if (!fragment || seen.has(selection.name.value)) continue;
          seen.add(selection.name.value);
          visit(fragment.selectionSet, depth);
        }
      }
    };
    visit(info.operation.selectionSet, 0);
    return nested;
  }
}

function isArgumentParam(param: unknown): param is ArgumentParam {
  const kind = (param as { kind?: string }).kind;
  return kind === 'arg' || kind === 'args';
}
