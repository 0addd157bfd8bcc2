/**
 * A validation rule that refuses, before any resolver runs, operations that would cost the service too
 * much: nested too deeply, too costly, with too many root fields or too many aliases.
 *
 * Cost has two parts (query-cost.ts). Each field costs 1 every time it is resolved: the selections of a
 * field with `first: n` or `last: n` are resolved n times (a variable, or neither given, counts as the
 * usual page of 20), and those of `nodes(ids: [...])` once per id (a variable counts as 20 ids too).
 * On top of that, a field that runs database queries costs what it declares, once per occurrence in the
 * operation and not once per parent, since nested fields load through DataLoaders (one query for all the
 * parents). Aliases make occurrences: `{a: customers … b: customers …}` pays twice. Fragments are
 * followed. Introspection fields cost nothing and add no depth (graphql-js bounds their nesting itself),
 * but their aliases count: each alias runs the introspection again, and 2,000 aliased `__schema` lists
 * under 64 KB held the event loop for 2 s and answered 12 MB.
 */
import {
  type ASTNode,
  type FieldNode,
  type GraphQLField,
  GraphQLError,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

import { ErrorCode } from '../errors/error-code';
import type { QueryLimits } from './query-limit-defaults';
import { databaseCostOf } from './query-cost';
import { INTROSPECTION_FIELDS, rootResponseNames } from './root-fields';

/** The `extensions.code` of a query refused by these limits. */
export const QUERY_TOO_COMPLEX = ErrorCode.QueryTooComplex;

export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limit-defaults';

// Validation cannot see variable values, so a variable or omitted page size counts as the usual page size.
const ASSUMED_PAGE_SIZE = 20;

/** The arguments that say how many items a field answers: page sizes, and the ids of `nodes`. */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
const ID_LIST_ARGUMENTS = ['ids'];

interface Measure {
  depth: number;
  /** Field resolutions: each field's 1, times the page sizes above it. */
  reads: number;
  /** Declared database cost of the fields, once per occurrence. */
  database: number;
  /** Aliased fields, once per occurrence. */
  aliases: number;
}

const NOTHING: Measure = { depth: 0, reads: 0, database: 0, aliases: 0 };

/** Builds the rule for Apollo's `validationRules`; each limit an operation passes gets a QUERY_TOO_COMPLEX error. */
export function queryLimitsRule(limits: Pick<QueryLimits, 'maxDepth' | 'maxCost' | 'maxRootFields' | 'maxAliases'>): ValidationRule {
  return (context) => {
    const measurer = new Measurer(context);
    return {
      OperationDefinition(operation) {
        const refuse = (message: string) => context.reportError(tooComplex(message, operation));
        const rootFields = rootResponseNames(context, operation.selectionSet).size;
        if (rootFields > limits.maxRootFields) {
          refuse(`Query has ${rootFields} root fields, more than the limit of ${limits.maxRootFields}`);
        }
        const { depth, reads, database, aliases } = measurer.selectionSet(operation.selectionSet, rootType(context, operation));
        if (aliases > limits.maxAliases) refuse(`Query has ${aliases} aliases, more than the limit of ${limits.maxAliases}`);
        if (depth > limits.maxDepth) refuse(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`);
        const cost = reads + database;
        if (cost > limits.maxCost) refuse(`Query cost ${cost} exceeds the limit of ${limits.maxCost}`);
      },
    };
  };
}

function rootType(context: ValidationContext, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  return context.getSchema().getRootType(operation.operation) ?? undefined;
}

function tooComplex(message: string, node: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes: [node], extensions: { code: QUERY_TOO_COMPLEX } });
}

/** Measures selection sets of one document, each fragment once. */
class Measurer {
  private readonly fragments = new Map<string, Measure>();
  private readonly entered = new Set<string>();

  constructor(private readonly context: ValidationContext) {}

  selectionSet(set: SelectionSetNode, parentType: GraphQLNamedType | undefined): Measure {
    const total = { ...NOTHING };
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) {
        part = INTROSPECTION_FIELDS.has(selection.name.value) ? this.introspection(selection) : this.field(selection, parentType);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.type(selection.typeCondition.name.value) : parentType;
        part = this.selectionSet(selection.selectionSet, type);
      } else {
        part = this.fragment(selection.name.value);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.reads += part.reads;
      total.database += part.database;
      total.aliases += part.aliases;
    }
    return total;
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined): Measure {
    const definition =
      isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    const children = node.selectionSet
      ? this.selectionSet(node.selectionSet, definition && getNamedType(definition.type))
      : NOTHING;
    const isRoot = parentType !== undefined && this.isRootType(parentType);
    return {
      depth: 1 + children.depth,
      reads: 1 + pageSize(node, definition) * children.reads,
      database: databaseCostOf(definition, isRoot) + children.database,
      aliases: (node.alias ? 1 : 0) + children.aliases,
    };
  }

  /** An introspection field: free, but its aliases (its own and those below it) count. */
  private introspection(node: FieldNode): Measure {
    return { ...NOTHING, aliases: this.field(node, undefined).aliases };
  }

  private fragment(name: string): Measure {
    const known = this.fragments.get(name);
    if (known) return known;
    const definition = this.context.getFragment(name);
    // A fragment that spreads itself is reported by NoFragmentCyclesRule; here it must only not loop.
    if (!definition || this.entered.has(name)) return NOTHING;
    this.entered.add(name);
    const measure = this.selectionSet(definition.selectionSet, this.type(definition.typeCondition.name.value));
    this.entered.delete(name);
    this.fragments.set(name, measure);
    return measure;
  }

  private type(name: string): GraphQLNamedType | undefined {
    return this.context.getSchema().getType(name) ?? undefined;
  }

  private isRootType(type: GraphQLNamedType): boolean {
    const schema = this.context.getSchema();
    return type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
  }
}

/**
 * How many times a field's selections are resolved: its `first` or `last` (the larger, should a client
 * send both), the number of its `ids`, or 1 for a field that neither pages nor takes ids.
 */
function pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number {
  const sizes: number[] = [];
  for (const { name, value } of node.arguments ?? []) {
    // A `null` page size is no page size (the default page applies).
    if (!(PAGE_SIZE_ARGUMENTS.includes(name.value) || ID_LIST_ARGUMENTS.includes(name.value)) || value.kind === Kind.NULL) continue;
    if (value.kind === Kind.INT) sizes.push(Math.max(0, Number.parseInt(value.value, 10)));
    else if (value.kind === Kind.LIST) sizes.push(value.values.length);
    // A single id where a list is expected is a list of one.
    else if (value.kind === Kind.STRING) sizes.push(1);
    else sizes.push(ASSUMED_PAGE_SIZE);
  }
  if (sizes.length > 0) return Math.max(...sizes);
  const pages = definition?.args.some((a) => PAGE_SIZE_ARGUMENTS.includes(a.name) || ID_LIST_ARGUMENTS.includes(a.name));
  return pages ? ASSUMED_PAGE_SIZE : 1;
}
