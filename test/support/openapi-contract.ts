/**
 * Checks real answers against the OpenAPI document the service serves: the status must be documented for
 * the route, the body must match that status's schema (JSON Schema 2020-12 through ajv, $refs resolved
 * inside the document), and every header the document marks required must be there and match.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** What a check needs of an answer (a supertest response has it). */
export interface RecordedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

interface HeaderObject {
  required?: boolean;
  schema: object;
}

interface ResponseObject {
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema: object }>;
}

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { headers?: Record<string, HeaderObject> };
};

const DOCUMENT_ID = 'https://caller-memory.invalid/openapi.json';

/** A compiled document: validators made on first use, per JSON pointer. */
export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApi) {
    // Not strict: the document holds OpenAPI keywords (`example`, `openapi`, `paths`) beside its schemas.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, DOCUMENT_ID);
  }

  /** The validator of the schema at a JSON pointer into the document (`/components/schemas/Error`). */
  validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /** Whether the document describes the route (path without its query, lower-case method). */
  describes(method: string, path: string): boolean {
    return Boolean(this.document.paths[path.split('?')[0]]?.[method.toLowerCase()]);
  }

  /** Every way the answer departs from the document; empty when it matches. */
  problems(method: string, path: string, answer: RecordedAnswer): string[] {
    const route = path.split('?')[0];
    const verb = method.toLowerCase();
    const operation = this.document.paths[route]?.[verb];
    if (!operation) return [`${method} ${route} is not in the document`];
    const response = operation.responses[String(answer.status)];
    if (!response) return [`${method} ${route} answered ${answer.status}, which the document does not list`];
    const problems: string[] = [];
    const base = `/paths/${escape(route)}/${verb}/responses/${answer.status}`;
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const resolved = '$ref' in header ? this.document.components.headers?.[header.$ref.split('/').pop() ?? ''] : header;
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (resolved?.required) problems.push(`header ${name} is missing`);
        continue;
      }
      const check = this.ajv.compile(resolved?.schema ?? {});
      if (!check(value)) problems.push(`header ${name}: ${this.ajv.errorsText(check.errors)}`);
    }
    if (response.content) {
      const type = String(answer.headers['content-type'] ?? '');
      const mediaType = Object.keys(response.content).find((t) => type.startsWith(t));
      if (!mediaType) problems.push(`content type ${type} is not one of ${Object.keys(response.content).join(', ')}`);
      else {
        const validate = this.validator(`${base}/content/${escape(mediaType)}/schema`);
        if (!validate(answer.body)) problems.push(`body: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
      }
    }
    return problems;
  }

  /** Throws when the answer departs from the document (a supertest `.expect` callback). */
  check(method: string, path: string, answer: RecordedAnswer): void {
    const problems = this.problems(method, path, answer);
    if (problems.length > 0) {
      throw new Error(`The answer to ${method} ${path} does not match /openapi.json:\n  ${problems.join('\n  ')}\n${answer.text ?? JSON.stringify(answer.body)}`);
    }
  }
}

/** A JSON-pointer token (`/` → `~1`, `~` → `~0`). */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const compiled = new Map<string, OpenApiContract>();

/** The contract of a served document text, compiled once per distinct document. */
export function contractOf(documentText: string): OpenApiContract {
  let contract = compiled.get(documentText);
  if (!contract) {
    contract = new OpenApiContract(JSON.parse(documentText) as OpenApi);
    compiled.set(documentText, contract);
  }
  return contract;
}
