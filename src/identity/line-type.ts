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
  valuesConfig: {
    MOBILE: { description: 'A mobile phone: the strongest ANI signal (weight 0.5 by default).' },
    LANDLINE: { description: 'A fixed line, often shared by a household or office (weight 0.3 by default).' },
    VOIP: { description: 'An internet number, easily shared or spoofed (weight 0.2 by default).' },
    UNKNOWN: { description: 'Not reported and not remembered (weight 0.35 by default).' },
  },
});
