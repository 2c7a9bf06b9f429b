// Style names that studios writing in Latin script keep in English, lower-case (German capitalises them: de-labels).
export const LOANWORDS = {
  blackwork: 'blackwork',
  'trash-polka': 'trash polka',
  'new-school': 'new school',
  chicano: 'chicano',
} as const;
