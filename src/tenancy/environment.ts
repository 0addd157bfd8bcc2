/** The two worlds of an organisation: test data and production data never mix. */
export enum Environment {
  TEST = 'test',
  PROD = 'prod',
}

/** Who is calling: the organisation and environment that every tenant-scoped read and write is bound to. */
export interface Tenant {
  organisationId: string;
  environment: Environment;
}
