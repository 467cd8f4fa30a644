import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({ name: 'fspiopErrorCode', regexp: /[1-9]\d{3}/, transformer: (code: string) => code });
defineParameterType({ name: 'fspiopAmount', regexp: /(?:0|[1-9]\d{0,17})(?:\.\d{0,3}[1-9])?/, transformer: (amount: string) => amount });
defineParameterType({ name: 'transferState', regexp: /RECEIVED|RESERVED|COMMITTED|ABORTED/, transformer: (state: string) => state });
