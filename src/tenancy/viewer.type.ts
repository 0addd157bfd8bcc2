import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

import { Environment } from './environment';

registerEnumType(Environment, {
  name: 'Environment',
  description: 'The data world an API key works in: test and prod data never mix.',
  valuesConfig: {
    TEST: { description: 'Test data, reached with sk_test_ keys.' },
    PROD: { description: 'Production data, reached with sk_prod_ keys.' },
  },
});

/** The organisation behind the API key. */
@ObjectType({ description: 'A contact center using this service; owns API keys and caller data.' })
export class OrganisationInfo {
  @Field(() => ID, { description: 'Stable identifier of the organisation.' })
  id!: string;

  @Field({ description: 'Short unique handle, as used by the keys command-line tool.' })
  slug!: string;

  @Field({ description: 'Display name.' })
  name!: string;
}

/** Who the request is authenticated as. */
@ObjectType({ description: 'The caller of the API: the organisation and environment of its API key.' })
export class Viewer {
  @Field(() => OrganisationInfo, { description: 'The organisation that owns the API key.' })
  organisation!: OrganisationInfo;

  @Field(() => Environment, { description: 'The environment of the API key (test or prod).' })
  environment!: Environment;
}
