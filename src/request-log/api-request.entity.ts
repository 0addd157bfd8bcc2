import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

import { newRowId } from '../shared/row-id';
import { TenantScoped } from '../tenancy/tenant-scoped.entity';

/**
 * One /v1 request as the request log keeps it: what was asked and answered, with phone numbers and
 * variable values masked; the bodies only when the organisation turned them on. Written in batches off the
 * request path; purged after REQUEST_LOG_RETENTION_DAYS.
 */
@Entity({ tableName: 'api_requests' })
@Index({ properties: ['organisationId', 'environment', 'at'] })
@Index({ properties: ['organisationId', 'environment', 'callId'] })
export class ApiRequest extends TenantScoped {
  @PrimaryKey({ type: 'uuid' })
  id: string = newRowId();

  /** When the request arrived. */
  @Property({ type: Date })
  at!: Date;

  @Property({ type: 'uuid' })
  keyId!: string;

  @Property({ type: 'string', length: 8 })
  method!: string;

  /** The route pattern, never the raw path. */
  @Property({ type: 'string', length: 100 })
  route!: string;

  @Property({ type: 'integer' })
  status!: number;

  @Property({ type: 'double' })
  latencyMs!: number;

  /** The `call_id` the request was about (numbers in it masked). */
  @Property({ type: 'string', length: 256, nullable: true })
  callId?: string | null;

  @Property({ type: 'string', length: 128 })
  requestId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  errorCode?: string | null;

  /** On a 4xx: the validation issues' paths and messages, JSON. */
  @Property({ type: 'text', nullable: true })
  issues?: string | null;

  /** The masked request body (organisations that turned bodies on). */
  @Property({ type: 'text', nullable: true })
  requestBody?: string | null;

  /** The masked response body (organisations that turned bodies on). */
  @Property({ type: 'text', nullable: true })
  responseBody?: string | null;
}
