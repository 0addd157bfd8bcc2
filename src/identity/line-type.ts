import { registerEnumType } from 'type-graphql';

/** The kind of line a number is on; weighs how much an ANI match says (contract §5). */
export enum LineTypeName {
  MOBILE = 'mobile',
  LANDLINE = 'landline',
  VOIP = 'voip',
  UNKNOWN = 'unknown',
}

registerEnumType(LineTypeName, {
  name: 'LineType',
  description: 'The kind of line a phone number is on.',
});
