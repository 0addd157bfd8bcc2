/**
 * A validation rule that refuses queries nested too deeply or too costly, before any resolver runs.
 * Depth counts nested fields; cost is 1 per field, and a field with `first` multiplies the cost of its
 * selections by it. Fragments are followed; introspection fields are free (graphql-js bounds them itself).
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
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

import { ErrorCode } from '../errors/error-code';

/** The `extensions.code` of a query refused by these limits. */
export const QUERY_TOO_COMPLEX = ErrorCode.QueryTooComplex;

/** How deep and how costly one operation may be. */
export interface QueryLimits {
  /** Most levels of nested fields. */
  maxDepth: number;
  /** Highest estimated cost (see the module comment). */
  maxCost: number;
}

/** The limits used unless configured otherwise. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 5000 };

// Validation cannot see variable values, so a variable or omitted `first` counts as the usual page size.
const ASSUMED_PAGE_SIZE = 20;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

interface Measure {
  depth: number;
  cost: number;
}

const NOTHING: Measure = { depth: 0, cost: 0 };

/** Builds the rule for Apollo's `validationRules`; each operation over a limit gets a QUERY_TOO_COMPLEX error. */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context) => {
    const measurer = new Measurer(context);
    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation) ?? undefined;
        const { depth, cost } = measurer.selectionSet(operation.selectionSet, root);
        if (depth > limits.maxDepth) {
          context.reportError(tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, operation));
        }
        if (cost > limits.maxCost) {
          context.reportError(tooComplex(`Query cost ${cost} exceeds the limit of ${limits.maxCost}`, operation));
        }
      },
    };
  };
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
    let depth = 0;
    let cost = 0;
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) {
        part = INTROSPECTION_FIELDS.has(selection.name.value) ? NOTHING : this.field(selection, parentType);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.type(selection.typeCondition.name.value) : parentType;
        part = this.selectionSet(selection.selectionSet, type);
      } else {
        part = this.fragment(selection.name.value);
      }
      depth = Math.max(depth, part.depth);
      cost += part.cost;
    }
    return { depth, cost };
  }

  private field(node: FieldNode, parentType: GraphQLNamedType | undefined): Measure {
    const definition =
      isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    const children = node.selectionSet
      ? this.selectionSet(node.selectionSet, definition && getNamedType(definition.type))
      : NOTHING;
    return { depth: 1 + children.depth, cost: 1 + pageSize(node, definition) * children.cost };
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
}

/** How many times a field's selections are resolved: its `first`, or 1 for a field that does not page. */
function pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number {
  const argument = node.arguments?.find((a) => a.name.value === 'first');
  if (argument) {
    return argument.value.kind === Kind.INT ? Math.max(0, Number.parseInt(argument.value.value, 10)) : ASSUMED_PAGE_SIZE;
  }
  return definition?.args.some((a) => a.name === 'first') ? ASSUMED_PAGE_SIZE : 1;
}
