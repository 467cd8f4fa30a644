import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/errors.ts';
import { PROJECT_ROOT } from '../config/project.ts';
import { CONTROLLED_PAYEE_ROLES, embeddedSettings, PARTY_ID_TYPES, type ConformanceConfig, type ControlledParty, type ControlledPayeeRole } from '../config/schema.ts';
import type { PartyBehaviour, SimulatedParty } from '../dfsp/payee-simulator.ts';
import { describeZodError, FSPIOP_AMOUNT_PATTERN } from '../fspiop/payloads.ts';

const Amount = z.string().regex(new RegExp(`^${FSPIOP_AMOUNT_PATTERN}$`), 'an amount such as "100000"');
/** Twice the fixture's cap: a soak meets neither, and the cap (4200), not the cover (4001), is what a lowered limit meets. */
const GENEROUS_LIQUIDITY = '200000000000';
const BEHAVIOURS = ['fulfil', 'invalid-fulfilment', 'reject', 'silent'] as const satisfies readonly PartyBehaviour[];

const OnboardingSchema = z.strictObject({
  participants: z.array(z.strictObject({
    /** `bystander`: a DFSP of ours party to none of our transfers, which only asks (FUN-19). */
    role: z.enum(['payer', 'payee', 'bystander']),
    netDebitCap: Amount,
    initialPosition: Amount.default('0'),
    /** Funds in to the settlement account: a prepare the liquidity cover does not back is refused (4001). */
    liquidity: Amount.default(GENEROUS_LIQUIDITY),
  })).min(1),
  payeeParties: z.array(z.strictObject({
    role: z.literal('payee').optional(),
    scenario: z.enum(Object.keys(CONTROLLED_PAYEE_ROLES) as [ControlledPayeeRole, ...ControlledPayeeRole[]]).optional(),
    type: z.enum(PARTY_ID_TYPES).optional(),
    id: z.string().min(1).max(128).optional(),
    subId: z.string().min(1).max(128).optional(),
    firstName: z.string().min(1).max(128),
    middleName: z.string().min(1).max(128).optional(),
    lastName: z.string().min(1).max(128),
    behaviour: z.enum(BEHAVIOURS),
  }).refine((party) => party.role === 'payee' || (party.type && party.id), 'a party needs type and id, or role: payee')),
});

export interface Onboarding {
  participants: { role: 'payer' | 'payee' | 'bystander'; fspId: string; currencies: string[]; netDebitCap: string; initialPosition: string; liquidity: string }[];
  /** Parties of the simulated payee DFSP. */
  payeeParties: SimulatedParty[];
  /** The controlled-payee roles those parties play in the functional scenarios. */
  controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>;
}

/**
 * Reads the onboarding fixture (`embedded.onboarding`) and fills in the run's identities: the
 * payer, payee and bystander FSPs and the payee party of the config, and any controlled party the config
 * names in place of the fixture's. `partyIds: 'after-payee-party'` numbers the other parties on
 * from the payee party's id instead of taking the fixture's: a payee a run provisions on a shared
 * hub must not claim parties another DFSP there holds (such as a reference hub's own simulator,
 * which holds the fixture's).
 */
export function readOnboarding(config: ConformanceConfig, options: { partyIds?: 'fixture' | 'after-payee-party' } = {}): Onboarding {
  const { onboarding } = embeddedSettings(config);
  const file = isAbsolute(onboarding) ? onboarding : join(PROJECT_ROOT, onboarding);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`embedded.onboarding: cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = OnboardingSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`embedded.onboarding: ${file} is invalid: ${describeZodError(parsed.error)}`);

  const participants = parsed.data.participants.map((participant) => ({
    role: participant.role,
    fspId: config.participants[participant.role].fspId,
    currencies: [config.participants.payer.currency],
    netDebitCap: participant.netDebitCap,
    initialPosition: participant.initialPosition,
    liquidity: participant.liquidity,
  }));
  const { payee } = config.participants;
  const controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>> = {};
  let numbered = 0;
  const payeeParties = parsed.data.payeeParties.map((entry): SimulatedParty => {
    const named = entry.scenario ? config.parties[entry.scenario] : undefined;
    const id = entry.role === 'payee' ? payee.party.id : options.partyIds === 'after-payee-party' ? idAfter(payee.party.id, (numbered += 1)) : entry.id!;
    const party: ControlledParty = entry.role === 'payee'
      ? { ...payee.party }
      : { type: options.partyIds === 'after-payee-party' ? payee.party.type : entry.type!, id, ...(entry.subId ? { subId: entry.subId } : {}) };
    const names = { firstName: entry.firstName, lastName: entry.lastName, ...(entry.middleName ? { middleName: entry.middleName } : {}) };
    const held: ControlledParty = { ...party, ...names, ...named };
    if (entry.scenario) controlledPayee[entry.scenario] = held;
    return { ...held, firstName: held.firstName!, lastName: held.lastName!, behaviour: entry.behaviour };
  });
  return { participants, payeeParties, controlledPayee };
}

/** The n-th id after a party's: the number plus n when it is one (an MSISDN), else the id with "-n". */
function idAfter(id: string, n: number): string {
  return /^\d{1,15}$/.test(id) ? String(BigInt(id) + BigInt(n)).padStart(id.length, '0') : `${id}-${n}`;
}
