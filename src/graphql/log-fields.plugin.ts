/**
 * Notes what a /graphql request's access-log line says (http/request-log.ts): the operation's name, the
 * call it is about (a root field's `callId` argument or its `input.callId`, written inline or passed as a
 * variable), and the answer's first error code with the paths of its issues, as the client receives them.
 * The request's context is tied to its `res.locals` by `logTo` (graphql.middleware.ts).
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type ValueNode } from 'graphql';

import type { Issue } from '../errors/app-error';
import { loggableCallId, loggableOperationName, noteLog, issuePaths, type RequestLogFields } from '../http/request-log';
import type { GraphQLContext } from './context';

// A property of the context, not a WeakMap keyed by it: Apollo hands the plugins a shallow copy.
const LOG_LOCALS = Symbol('access-log locals');
type LoggedContext = GraphQLContext & { [LOG_LOCALS]?: Express.Locals };

/** Ties a request's context to the `res.locals` its access-log line is written from. */
export function logTo(context: GraphQLContext, locals: Express.Locals): GraphQLContext {
  (context as LoggedContext)[LOG_LOCALS] = locals;
  return context;
}

/** The value of an argument written inline or as a variable. */
function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING || node.kind === Kind.INT) return node.value;
  if (node.kind === Kind.OBJECT) return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  return undefined;
}

/** The first call id among the operation's root fields: `call(callId: …)`, `startCall(input: {callId: …})`. */
export function callIdOf(operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): string | undefined {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      const value = valueOf(argument.value, variables);
      const candidate =
        argument.name.value === 'callId' ? value : argument.name.value === 'input' ? (value as { callId?: unknown } | null)?.callId : undefined;
      const callId = loggableCallId(candidate);
      if (callId) return callId;
    }
  }
  return undefined;
}

/** What a finished GraphQL request says in its log line. */
function fieldsOf(request: GraphQLRequestContextWillSendResponse<GraphQLContext>): RequestLogFields {
  const fields: RequestLogFields = {};
  const operation = loggableOperationName(request.operationName ?? request.request.operationName);
  if (operation) fields.operation = operation;
  const callId = request.operation ? callIdOf(request.operation, request.request.variables ?? {}) : undefined;
  if (callId) fields.callId = callId;
  const errors = request.response.body.kind === 'single' ? request.response.body.singleResult.errors : undefined;
  const code = errors?.[0]?.extensions?.code;
  if (typeof code === 'string') fields.code = code;
  const issues = (errors ?? []).flatMap((e) => (Array.isArray(e.extensions?.issues) ? (e.extensions.issues as Issue[]) : []));
  if (issues.length > 0) fields.issues = issuePaths(issues);
  return fields;
}

/** The plugin: notes the fields as the answer is sent. */
export const logFieldsPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse(request) {
        const locals = (request.contextValue as LoggedContext)[LOG_LOCALS];
        if (locals) noteLog(locals, fieldsOf(request));
      },
    };
  },
};
