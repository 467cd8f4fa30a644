import { z } from 'zod';

export const TIERS = ['core-test-harness', 'miniloop', 'helm', 'iac'] as const;
export const TARGETS = ['embedded', 'url', 'compose', 'kubernetes'] as const;
/** Kinds of component an inventory recognises (src/inventory/component-kinds.ts; a test holds the two lists together). */
export const COMPONENT_KIND_NAMES = ['gateway', 'ingress', 'egress', 'IAM', 'control-centre', 'monitoring', 'portals', 'PM4ML', 'central-ledger', 'mysql', 'kafka'] as const;
/** Load profiles: one `scenarios/<name>.yaml` each (a test holds the two lists together). */
export const PROFILES = ['smoke', 'certify', 'soak'] as const;
/** Load runners: `auto` takes k6 when it is on PATH, else the builtin one; `k6-operator` runs k6 in a cluster (k6Operator). */
export const RUNNERS = ['auto', 'builtin', 'k6', 'k6-operator'] as const;
/** FSPIOP v1.1 PartyIdType values. */
export const PARTY_ID_TYPES = [
  'MSISDN', 'EMAIL', 'PERSONAL_ID', 'BUSINESS', 'DEVICE', 'ACCOUNT_ID', 'IBAN', 'ALIAS',
] as const;

/** FSPIOP versions with a definition, and what an Accept may name (the protocol's lists, `fspiop/headers.ts`; a test holds them together). */
export const FSPIOP_VERSIONS = ['1.1', '2.0'] as const;
/**
 * How secured the embedded hub is served: `none`, plain and open (the development tiers' posture);
 * `full`, as an IaC hub (mutual TLS, OAuth2 bearer tokens, JWS on POST/PUT, an admin API closed to
 * anonymous calls), with a CA and every credential made at start.
 */
export const HUB_SECURITY_LEVELS = ['none', 'full'] as const;
export const ACCEPTABLE_VERSIONS = ['1', '1.0', '1.1', '2', '2.0'] as const;

/** URL-target callback port when none is configured; `npm run hub` points its payer endpoint here. */
export const DEFAULT_URL_CALLBACK_PORT = 4100;

export type Tier = (typeof TIERS)[number];
export type TargetKind = (typeof TARGETS)[number];
export type Profile = (typeof PROFILES)[number];

const FspId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'an FSP id is 1-32 letters, digits, "_" or "-"');
const Currency = z.string().regex(/^[A-Z]{3}$/, 'a currency is an ISO 4217 code such as "USD"');
const Port = z.number().int().min(0).max(65535);
/** Node's timers hold at most 2^31-1 ms (~24.8 days); a longer one fires at once, so it is refused here. */
const Timeout = z.number().int().positive().max(2 ** 31 - 1, 'at most 2147483647 ms (about 24.8 days), the longest timer Node can set');
/** http(s) URL without user:password — credentials in a URL end up in logs and reports. */
const HttpUrl = z.string().meta({ format: 'uri' }).superRefine((text, ctx) => {
  const problem = httpUrlProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** What is wrong with a URL the tool will call or hand to a hub, if anything. */
export function httpUrlProblem(text: string): string | undefined {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  // The value itself is never repeated: a mistyped URL may still carry a password or a key.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return `must be an http:// or https:// URL such as "http://127.0.0.1:4000" (got ${url ? `a "${url.protocol}" URL` : 'text that is no URL'})`;
  }
  if (url.username || url.password) return 'must not carry credentials (user:password@); they would be written to logs and reports';
  return undefined;
}

const PartySchema = z.strictObject({
  type: z.enum(PARTY_ID_TYPES),
  id: z.string().min(1).max(128),
});
export type PartyRef = z.infer<typeof PartySchema>;

const ParticipantsSchema = z.strictObject({
  payer: z.strictObject({
    fspId: FspId.default('payerfsp'),
    currency: Currency.default('USD'),
    party: PartySchema.default({ type: 'MSISDN', id: '27710101999' }),
  }).prefault({}),
  payee: z.strictObject({
    fspId: FspId.default('payeefsp'),
    party: PartySchema.default({ type: 'MSISDN', id: '27713803912' }),
  }).prefault({}),
  /**
   * A third DFSP of ours, party to none of our transfers: it asks the hub for a transfer of the payer's,
   * which the hub must refuse (FUN-19). Its callbacks arrive at the payer's callback server.
   */
  bystander: z.strictObject({
    fspId: FspId.default('bystanderfsp'),
  }).prefault({}),
}).prefault({});

const NamePart = z.string().min(1).max(128);
/** A party of a payee DFSP under our control, and what its DFSP answers a lookup with. */
const ControlledPartySchema = PartySchema.extend({
  subId: z.string().min(1).max(128).optional(),
  firstName: NamePart.optional(),
  middleName: NamePart.optional(),
  lastName: NamePart.optional(),
});
export type ControlledParty = z.infer<typeof ControlledPartySchema>;

/** The parties of a controlled payee DFSP the functional scenarios address, by what its DFSP does with them. */
export const CONTROLLED_PAYEE_ROLES = {
  invalidFulfilment: 'answers transfers with a fulfilment that does not match the condition',
  rejecting: 'rejects every transfer with error 5105',
  silent: 'never answers a transfer (it must expire)',
  nonLatinName: 'has a name in non-Latin script (firstName, lastName; middleName optional)',
  withSubId: 'is addressed with a sub-id (subId)',
} as const;
export type ControlledPayeeRole = keyof typeof CONTROLLED_PAYEE_ROLES;

/**
 * Parties the negative scenarios need. `unknown` is a party no DFSP holds. The others are parties
 * of a payee DFSP that misbehaves on purpose: the embedded target's simulator holds them (see
 * fixtures/hub/onboarding.yaml; a party named here replaces the fixture's for that role); against
 * a hub by URL, a payee DFSP you run holds them and you name them here. A role left unnamed there
 * leaves its guarantee NOT EVALUATED.
 */
const ScenarioPartiesSchema = z.strictObject({
  unknown: PartySchema.default({ type: 'MSISDN', id: '27700000404' }),
  ...Object.fromEntries(Object.keys(CONTROLLED_PAYEE_ROLES).map((role) => [role, ControlledPartySchema.optional()])) as Record<ControlledPayeeRole, z.ZodOptional<typeof ControlledPartySchema>>,
}).prefault({});

/**
 * FSPIOP-Source values the hub sends its own callbacks with (errors, state queries). With the
 * payee's FSP id, the only senders a callback to our payer may come from; others are forged.
 * Every target has a hub that signs its callbacks, so this is the one part of `hub` every target takes.
 */
const SourceIds = z.array(FspId).min(1).default(['switch', 'Hub']);
/** FSPIOP endpoint of the hub under test. */
const HubUrl = HttpUrl;
/** The hub's administration API (central-ledger admin): provisioning, positions, probed for unauthenticated access. */
const HubAdminUrl = HttpUrl;

const CallbackSchema = z.strictObject({
  /** Address our payer-side callback server listens on. */
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 = any free port (embedded target, which registers it with its hub itself). */
  port: Port.optional(),
  /** URL the hub must call when it cannot reach host:port directly (NAT, ingress, container). */
  publicUrl: HttpUrl.optional(),
  /** Callbacks larger than this are rejected with 413 and counted. */
  maxBodyBytes: z.number().int().positive().max(16 * 1024 * 1024).default(64 * 1024),
}).prefault({});

const TimeoutsSchema = z.strictObject({
  /** How long to wait for the asynchronous callback of one FSPIOP request. */
  callbackMs: Timeout.default(10_000),
  /** How long the synchronous 202 of one FSPIOP request may take. */
  requestMs: Timeout.default(5_000),
  /** How long the environment may take to start. */
  startupMs: Timeout.default(60_000),
  /**
   * How long after a transfer's expiration the hub may take to notice it (central-ledger's timeout
   * handler runs every 15 s): the expiry scenario waits for its 3303 that much longer.
   */
  expirySweepMs: Timeout.default(15_000),
}).prefault({});

const Share = z.number().min(0).max(1);

/**
 * Faults the embedded hub can be told to show (all off by default): they prove the suite bites,
 * since each must make the guarantees it breaks FAIL. `npm run faults` runs them one by one.
 */
export const HubFaultsSchema = z.strictObject({
  /** Extra delay before every callback the hub delivers: a fixed ms, or a random one in [min, max]. */
  callbackDelayMs: z.union([z.number().int().min(0).max(60_000), z.strictObject({ min: z.number().int().min(0), max: z.number().int().max(60_000) })
    .refine((range) => range.min <= range.max, 'min must not exceed max')]).optional(),
  /** Share of callbacks the hub silently never delivers (0-1). */
  dropCallbacks: Share.optional(),
  /** Share of FSPIOP requests answered with HTTP 500 instead of being processed (0-1). */
  serverErrors: Share.optional(),
  /** Commit a transfer even when SHA-256(fulfilment) does not match its condition. */
  acceptWrongFulfilment: z.boolean().optional(),
  /** Treat a resent transfer like a new one: book it again, never answer 3106. */
  skipDuplicateCheck: z.boolean().optional(),
  /** Answer a resent transfer with its state, as it should, but book it again as well (positions move twice). */
  doubleBookResends: z.boolean().optional(),
  /** Abort a transfer without releasing its reservation: the payer keeps owing the amount. */
  leakReservations: z.boolean().optional(),
  /** Tell only the payer when a transfer is aborted (expired, wrong fulfilment): the payee DFSP never learns. */
  skipPayeeNotification: z.boolean().optional(),
  /** Reserve a transfer even when the payer's net debit cap would be exceeded. */
  ignoreNetDebitCap: z.boolean().optional(),
  /** Never expire a reserved transfer. */
  skipExpiry: z.boolean().optional(),
  /** Send the hub's own callbacks with this FSPIOP-Source instead of "switch". */
  callbackSource: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
  /** Date header of the hub's own callbacks this many ms in the past (a header rule broken; the body stays valid). */
  staleCallbackDateMs: z.number().int().positive().max(2 ** 31 - 1).optional(),
  /** Leave this field out of the transfer state callbacks the hub writes (a schema violation), e.g. "transferState". */
  omitCallbackField: z.string().min(1).optional(),
  /** Forward a quote to the payee DFSP without validating it: only the payee refuses an invalid one. */
  skipQuoteValidation: z.boolean().optional(),
  /** Never forward GET /quotes/{id} to the payee DFSP: the quote's terms are never given again. */
  ignoreQuoteQueries: z.boolean().optional(),
  /** Answer GET /transfers/{id} with the transfer's state to any DFSP that asks, party to it or not: a transfer's fulfilment disclosed to a stranger. */
  answerAnyTransferQuery: z.boolean().optional(),
  /** Deliver every callback a second time, identical (Date included), this many ms after the first, as a retrying notifier does. */
  resendCallbacksAfterMs: z.number().int().positive().max(60_000).optional(),
  /** Keep the ledger in memory only, whatever embedded.dataDir says: a killed hub comes back with empty books. */
  volatileLedger: z.boolean().optional(),
  /** The hub process dies (as under kill -9) after this many prepares. */
  crashAfterTransfers: z.number().int().positive().optional(),
  /** Seed of the random faults: the same seed, the same run. */
  seed: z.number().int().min(0).optional(),
});
export type HubFaultsConfig = z.infer<typeof HubFaultsSchema>;
/** Fault names, as `--fault <name>[=<value>]` takes them. */
export const HUB_FAULTS = Object.keys(HubFaultsSchema.shape).filter((name) => name !== 'seed') as (keyof HubFaultsConfig)[];

/** Knobs of the embedded reference hub and its simulated payee DFSP. */
const EmbeddedSchema = z.strictObject({
  /** Delay before the simulated payee answers (latency injection; also makes runs slow enough to interrupt in tests). */
  payeeDelayMs: z.number().int().min(0).max(60_000).default(0),
  /** Delay the hub adds to every callback it delivers (a known latency: measures a load runner's own overhead). */
  callbackDelayMs: z.number().int().min(0).max(60_000).default(0),
  /** Participants, limits and parties the hub is provisioned with at start, as an onboarding collection would (relative to the project). */
  onboarding: z.string().min(1).default('fixtures/hub/onboarding.yaml'),
  /** The FSPIOP version the hub writes its own callbacks in (errors, expiries, GET answers): current Mojaloop's default is 2.0. */
  fspiopVersion: z.enum(FSPIOP_VERSIONS).default('1.1'),
  /** Folder the hub keeps its ledger in (SQLite); left out, the ledger lives in memory and goes with the run. */
  dataDir: z.string().min(1).optional(),
  faults: HubFaultsSchema.default({}),
}).prefault({});

const ProvisionAmount = z.string().regex(/^(?:0|[1-9]\d{0,17})(?:\.\d{0,3}[1-9])?$/, 'an amount such as "1000000"');

/**
 * Our test DFSPs provisioned on the hub under test (url target), as Mojaloop's Testing Toolkit
 * provisions its simulators: participants, accounts, cap, liquidity, every callback endpoint, the
 * payee's parties in the oracle. Our simulated payee DFSP then runs in this process, so the
 * guarantees that need a payee misbehaving on purpose are evaluated on any hub.
 */
const ProvisionSchema = z.strictObject({
  /** On by default when the target is url and hub.adminUrl is set; false attaches to DFSPs you provisioned yourself. */
  enabled: z.boolean().optional(),
  /** Print the calls provisioning would make, make none, and stop. */
  dryRun: z.boolean().default(false),
  /** Net debit cap of our payer and payee when they are created (a re-run keeps the cap that is there). */
  netDebitCap: ProvisionAmount.default('1000000'),
  /** Liquidity funded into each one's settlement account, up to this amount (never taken out). */
  liquidity: ProvisionAmount.default('1000000'),
  /** Where our simulated payee DFSP listens; the hub must reach it (its endpoints point here). */
  payee: z.strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    /** Default: the callback port + 1 (4101 with the url target's default callback port). */
    port: Port.optional(),
    /** URL the hub must call when it cannot reach host:port directly (NAT, ingress, container). */
    publicUrl: HttpUrl.optional(),
  }).prefault({}),
}).prefault({});

/** FSP ids and parties of the DFSPs a run provisions, unless the config names its own: ids no other DFSP on a shared hub is likely to hold. */
export const PROVISIONED_IDENTITIES = {
  payer: { fspId: 'conformancepayer', party: { type: 'MSISDN', id: '27799900099' } },
  payee: { fspId: 'conformancepayee', party: { type: 'MSISDN', id: '27799900100' } },
  bystander: { fspId: 'conformanceother' },
} as const;

/** The FSPIOP versions our DFSPs speak. */
const FspiopSchema = z.strictObject({
  /** The version our requests are written in (their Content-Type). */
  version: z.enum(FSPIOP_VERSIONS).default('1.1'),
  /**
   * The versions our requests accept a callback in (their Accept): a major ("2": any 2.x) or an
   * exact version. Both majors by default: current Mojaloop originates its own callbacks in 2.0.
   */
  accept: z.array(z.enum(ACCEPTABLE_VERSIONS)).min(1).default(['1', '2']),
}).prefault({}).refine((fspiop) => fspiop.accept.some((entry) => entry === fspiop.version || entry === fspiop.version.split('.')[0]), {
  message: 'must include the version our requests are sent in (fspiop.version): our own payee answers in it', path: ['accept'],
});

/** How SLA scenarios drive load. */
const LoadSchema = z.strictObject({
  /** `auto`: k6 when it is on PATH, else the builtin runner (the run says which it chose). */
  runner: z.enum(RUNNERS).default('auto'),
  /** Amount of every P2P transfer under load, in the payer's currency. */
  amount: z.string().regex(/^(?:0|[1-9]\d{0,17})(?:\.\d{0,3}[1-9])?$/, 'an FSPIOP amount is a decimal string such as "100" or "12.5"').default('1'),
  /** Iterations in flight at most (default: 10 s worth of arrivals, bounded by the open-file limit, `ulimit -n`); an arrival beyond it counts as dropped. Below it, the builtin runner holds a hub past its capacity to what it completes within a quarter of the timeouts. */
  maxInFlight: z.number().int().positive().optional(),
}).prefault({});

/**
 * The recovery time objective a deployment holds itself to, replacing the one the feature text
 * states and justifies: a threshold is only as good as its source, so the source is required.
 */
const ResilienceSchema = z.strictObject({
  rto: z.strictObject({
    maxMs: z.number().int().positive().max(3_600_000)
      .meta({ description: 'transfers must succeed again within this many ms of a killed component' }),
    source: z.string().trim().min(1, 'name where the objective comes from')
      .meta({ description: 'where the objective comes from, named in every RTO verdict (e.g. "operations SLO v2, section 4")' }),
  }).optional().meta({ description: 'recovery time objective replacing the one the resilience feature text states (and justifies)' }),
}).prefault({});

const ComposeName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a compose project name: lower-case letters, digits, "_" or "-", starting with a letter or digit');
const ServiceName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a compose service name');
/** An image reference without registry credentials: REPO[:TAG][@DIGEST]. */
const ImageRef = z.string().regex(/^[a-z0-9][a-z0-9._\/:-]*(?:@sha256:[a-f0-9]{64})?$/, 'an image reference such as "mojaloop/central-ledger:v19.5.0"');
/** Where a service of the harness serves an API: the service, and its port inside the compose network. */
const ServiceEndpoint = z.strictObject({ service: ServiceName, port: Port });

/** An HTTP health check a service answers from the host: its container port and path (200 = ready). */
const HttpHealth = z.strictObject({ port: Port, path: z.string().startsWith('/', 'a path such as "/health"') });

/** A service under test in the minimal core: one generic container on the core's network. */
const MinimalCoreServiceSchema = z.strictObject({
  /** Its image; `--image SERVICE=REPO:TAG` (compose.images) replaces it. */
  image: ImageRef,
  /** The command, as the image's entrypoint takes it; default the image's own. No secrets: it is part of the run's description. */
  command: z.array(z.string()).optional(),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
  /** Container ports published on the host (a host port the run chooses, kept across a restart). */
  ports: z.array(Port).default([]),
  /** More names the service answers to inside the network (e.g. ml-api-adapter). */
  aliases: z.array(ServiceName).default([]),
  /** Ready when this answers 200 (asked from the host through the published port, so it needs no shell in the image). */
  health: HttpHealth,
});

/**
 * The services of the minimal core by default: the reference hub as central-ledger (FSPIOP API on 3000 under the
 * names ml-api-adapter, quoting-service and account-lookup-service as in fixtures/harness; admin API on 3001; its
 * ledger in the mysql service) and our simulated payee as simulator — the images `npm run harness:images` builds.
 */
const MINIMAL_CORE_SERVICES = {
  'central-ledger': {
    image: 'conformance-harness/reference-hub:local',
    command: ['bin/hub.mjs', '--host=0.0.0.0', '--port=3000', '--admin-port=3001', '--external-payee', '--ledger=mysql://central_ledger:password@mysql:3306/central_ledger'],
    environment: {}, ports: [3000, 3001], aliases: ['ml-api-adapter', 'quoting-service', 'account-lookup-service'],
    health: { port: 3001, path: '/health' },
  },
  simulator: {
    image: 'conformance-harness/reference-hub:local',
    command: ['bin/payee.mjs', '--hub-url=http://ml-api-adapter:3000', '--host=0.0.0.0', '--port=8444'],
    environment: {}, ports: [8444], aliases: [],
    health: { port: 8444, path: '/health' },
  },
};

/**
 * The minimal core (docs/compose.md): the backing database through @testcontainers/mysql and the services under
 * test as generic containers on one network — no compose file, no harness, no message broker.
 */
const MinimalCoreSchema = z.strictObject({
  /** Bring the minimal core up instead of a harness (--minimal-core). */
  enabled: z.boolean().default(false),
  /**
   * The backing database, service `mysql` on the core's network, with central-ledger's default database and user
   * (central_ledger / password). `--image mysql=REPO:TAG` replaces the image.
   */
  database: z.strictObject({
    image: ImageRef.default('conformance-harness/mariadb:local'),
    /** Run inside the container as its health check (exit 0 = ready); the image needs no shell for it. */
    healthcheck: z.array(z.string().min(1)).min(1).default(['/usr/bin/mariadb-admin', 'ping', '-h', '127.0.0.1', '--silent']),
  }).prefault({}),
  /** The services under test, by name; given, it replaces the default set (central-ledger and simulator) whole. */
  services: z.record(ServiceName, MinimalCoreServiceSchema).default(MINIMAL_CORE_SERVICES),
}).prefault({});

/** The Core Test Harness as a docker compose project (target `compose`). */
const ComposeSchema = z.strictObject({
  /** Folder of the compose project: a checkout of mojaloop/ml-core-test-harness, or fixtures/harness (--harness). */
  harness: z.string().min(1).optional(),
  /** Compose files, relative to the harness; default the first of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml. */
  files: z.array(z.string().min(1)).min(1).optional(),
  /** More compose files on top, e.g. docker-compose-monitoring.yml (--compose-file, repeatable). */
  extraFiles: z.array(z.string().min(1)).default([]),
  /** Env file the files interpolate from (image tags), relative to the harness; default .env, else dot-env. */
  envFile: z.string().min(1).optional(),
  /** Profiles to start, as the harness's README does (--compose-profile, repeatable). */
  profiles: z.array(ServiceName).default(['all-services', 'ttk-provisioning']),
  /** Project name of the deployment the run brings up; default a name of its own per run, so it never touches one you run. */
  projectName: ComposeName.optional(),
  /** Attach to this running compose project instead of bringing one up, and leave it running (--attach). */
  attach: ComposeName.optional(),
  /** Leave the deployment running after the run (--keep); the run prints how to take it down. */
  keep: z.boolean().default(false),
  /** Evaluate the compose definition only, never start a container, even where a Docker engine runs (--definition-only). */
  definitionOnly: z.boolean().default(false),
  /** How long bringing the harness up may take, health checks included. */
  startupMs: Timeout.default(600_000),
  /** How long the Docker engine may take to answer its first request; one that accepts the connection and does not answer in time stops the run (exit 4). */
  engineTimeoutMs: Timeout.default(10_000),
  /** Candidate images of services, certified inside the harness: service → image (--image SERVICE=REPO:TAG). */
  images: z.record(ServiceName, ImageRef).default({}),
  /** The services that serve the FSPIOP API and central-ledger's admin API, reached through the ports they publish. */
  endpoints: z.strictObject({
    fspiop: ServiceEndpoint.default({ service: 'ml-api-adapter', port: 3000 }),
    admin: ServiceEndpoint.default({ service: 'central-ledger', port: 3001 }),
  }).prefault({}),
  /** The service whose container is killed to fault the data tier (the ledger database). */
  dataTier: ServiceName.default('mysql'),
  /** The harness's own Testing Toolkit jobs: their exit codes are read and their reports attached. */
  jobs: z.array(ServiceName).default(['ttk-provisioning', 'ttk-tests']),
  /** Folder the jobs write their reports to, relative to the harness. */
  jobReportsDir: z.string().min(1).default('reports'),
  /** The minimal core instead of a harness: a database and the services under test, no compose file (--minimal-core). */
  minimalCore: MinimalCoreSchema,
}).prefault({});

/** Regular expressions (as text) by which components of a kind are recognised, replacing the defaults of that kind. */
const KindPatternsSchema = z.strictObject({
  images: z.array(z.string().min(1)).optional(),
  names: z.array(z.string().min(1)).optional(),
});
const ComponentsSchema = z.strictObject(Object.fromEntries(COMPONENT_KIND_NAMES.map((kind) => [kind, KindPatternsSchema.optional()])) as Record<(typeof COMPONENT_KIND_NAMES)[number], z.ZodOptional<typeof KindPatternsSchema>>)
  .prefault({}).superRefine((components, ctx) => {
    for (const [kind, patterns] of Object.entries(components)) {
      for (const field of ['images', 'names'] as const) {
        (patterns as { images?: string[]; names?: string[] } | undefined)?.[field]?.forEach((pattern, index) => {
          try {
            new RegExp(pattern);
          } catch (error) {
            ctx.addIssue({ code: 'custom', path: [kind, field, index], message: `"${pattern}" is not a regular expression (${(error as Error).message})` });
          }
        });
      }
    }
  });

/** A Kubernetes name: a DNS label (namespaces). */
export const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The image `--k3s` runs when none is given: the one @testcontainers/k3s's own tests run
 * (its packages/modules/k3s/Dockerfile); mini-loop's default distribution is k3s.
 */
export const DEFAULT_K3S_IMAGE = 'rancher/k3s:v1.37.1-k3s1';

/** A single-node cluster the run brings up itself (`--k3s`, docs/kubernetes.md): k3s in a container through @testcontainers/k3s, torn down after. */
const K3sSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The k3s image; it must be on the Docker engine or pullable from there (`--k3s-image`). */
  image: ImageRef.default(DEFAULT_K3S_IMAGE),
  /** From the container's creation until k3s says its node controller synced (the module's wait); a pull of the image has the same budget. */
  startupTimeoutMs: Timeout.default(180_000),
}).prefault({});

/** A Service port of the hub reached through a port-forward (`pods/portforward` to a Ready pod the Service selects). */
const ForwardSchema = z.strictObject({
  /** The Service's name, e.g. "ml-api-adapter" (mini-loop) or "moja-ml-api-adapter-service" (a HELM release). */
  service: z.string().regex(KUBERNETES_NAME, 'a Service name: lower-case letters, digits and "-", at most 63'),
  /** The Service's port (its targetPort on the pod is what is forwarded to). */
  port: z.number().int().min(1).max(65535),
  /** Default: the first of kubernetes.namespaces, else the context's namespace, else "default". */
  namespace: z.string().regex(KUBERNETES_NAME, 'a namespace name: lower-case letters, digits and "-", at most 63').optional(),
});

/** The cluster a `kubernetes` target reads (docs/kubernetes.md). Left out, the kubeconfig is found as kubectl finds it. */
const KubernetesSchema = z.strictObject({
  /** Path of the kubeconfig; default KUBECONFIG, else ~/.kube/config, else the in-cluster service account. */
  kubeconfig: z.string().min(1).optional(),
  /** Context of the kubeconfig to use; default its current context. */
  context: z.string().min(1).optional(),
  /** Read only these namespaces (cluster-scoped objects such as nodes are read all the same); empty: all of them. */
  namespaces: z.array(z.string().regex(KUBERNETES_NAME, 'a namespace name: lower-case letters, digits and "-", at most 63')).default([]),
  /** How long to wait at start for the hub's workloads (its services and data tier) to have their replicas available; 0 = read the cluster as it is. */
  readinessTimeoutMs: z.number().int().min(0).max(2 ** 31 - 1, 'at most 2147483647 ms (about 24.8 days), the longest timer Node can set').default(300_000),
  /** Bring up a single-node k3s cluster in a container and read that one instead of a kubeconfig's. */
  k3s: K3sSchema,
  /**
   * Reach the hub's APIs through port-forwards when no URL is given for them: `fspiop` (ml-api-adapter,
   * port 3000) stands for hub.url, `admin` (central-ledger, port 3001) for hub.adminUrl.
   */
  portForward: z.strictObject({ fspiop: ForwardSchema.optional(), admin: ForwardSchema.optional() }).prefault({}),
}).prefault({});

/** An IPv4 address or a DNS name: where pods in a cluster reach this machine. */
const HostOrAddress = z.string().regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*)$/, 'an IPv4 address or a DNS name such as "10.0.0.5" or "loadgen.example.org"');

/**
 * The k6-operator runner (`load.runner: k6-operator`, docs/kubernetes.md): the k6 scripts run as a
 * `TestRun` (k6.io/v1alpha1) of `parallelism` runner pods in a cluster, their callbacks relayed by
 * our callback server through a Service made per run. The load may drive a hub of any target, so the
 * cluster is its own setting: `kubeconfig` / `context` here, else the kubernetes target's, else as kubectl finds it.
 */
const K6OperatorSchema = z.strictObject({
  /** Path of the kubeconfig of the cluster the runner pods run in; default the kubernetes target's, else KUBECONFIG, else ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  /** Context of that kubeconfig; default the kubernetes target's, else its current context. */
  context: z.string().min(1).optional(),
  /** Namespace the TestRun, its ConfigMap, Secret and callback Service are made in; default the context's namespace, else "default". */
  namespace: z.string().regex(KUBERNETES_NAME, 'a namespace name: lower-case letters, digits and "-", at most 63').optional(),
  /** The hub's FSPIOP endpoint as the runner pods reach it (e.g. its in-cluster Service); default the run's hub URL. */
  hubUrl: HttpUrl.optional(),
  /** Runner pods; k6 splits the arrival rate and the VUs between them (execution segments). */
  parallelism: z.number().int().min(1).max(100).default(2),
  /** The k6 image of the runner pods: k6 1.6 or newer (the scripts use the stable k6/websockets). */
  runnerImage: ImageRef.default('grafana/k6:latest'),
  /** One runner pod per node (the TestRun's `separate`: pod anti-affinity). */
  separate: z.boolean().default(false),
  /** How the runner pods reach our callback server: a Service made per run that routes to it. */
  callbacks: z.strictObject({
    /** Where pods reach this machine: an IPv4 address (an EndpointSlice behind the Service) or a DNS name (an ExternalName Service). Default: the host of the callback server's public URL. */
    address: HostOrAddress.optional(),
    /** The port there; default the port of the callback server's public URL. */
    port: z.number().int().min(1).max(65535).optional(),
    /** When this tool runs as a pod in the cluster: the labels of that pod, which the Service selects instead of an address. */
    selector: z.record(z.string().min(1), z.string()).optional(),
  }).prefault({}),
  /** From the TestRun's creation until its runners start (image pulls, the initializer included). */
  startTimeoutMs: Timeout.default(300_000),
  /** After the load's own end (its duration and k6's graceful stop), how long the runners may take to finish and their logs to be read. */
  finishGraceMs: Timeout.default(120_000),
  /** How often the TestRun's stage and its runner pods are read. */
  pollMs: z.number().int().min(10).max(60_000).default(2_000),
}).prefault({});

/** A person's signed-off review of something no probe can measure (documentation). */
const AttestationSchema = z.strictObject({
  guarantee: z.string().regex(/^[A-Z]+-[A-Z]+-\d{2}$/, 'a guarantee id such as "CTH-DOC-01"'),
  // Blank text would PASS a documentation guarantee on a review nobody can trace: refused like a missing field.
  reviewer: z.string().trim().min(1, 'name who reviewed it, e.g. "Release QA"'),
  date: z.iso.date(),
  /** Where the reviewed material is, e.g. a documentation URL and version. */
  reference: z.string().trim().min(1, 'name what was reviewed, e.g. "docs.mojaloop.io v17.1"'),
});
export type Attestation = z.infer<typeof AttestationSchema>;

/** A file path, never the PEM itself: a pasted key would be printed back in the message naming a missing file. */
const PemPath = z.string().min(1).refine((value) => !value.includes('-----BEGIN') && !value.includes('\n'), {
  message: 'a PEM is never written in the config: give the path of its file (a private key may also come from { env: NAME })',
});
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as "PAYER_CLIENT_SECRET"');
/**
 * A secret in the config is never the value itself: it is read at load time from a file or an
 * environment variable, and the config (which reports may quote) holds only where it is.
 */
const SecretSource = z.union([z.strictObject({ file: z.string().min(1) }), z.strictObject({ env: EnvName })], {
  error: 'expected { file: PATH } (a file holding the secret) or { env: NAME } (an environment variable holding it); a secret is never written in the config itself',
});
/** A PEM a secret lives in (a private key): a file path, `{ file }` or `{ env }` (the PEM text in a variable). */
const PrivateKeySource = z.union([PemPath.transform((file) => ({ file })), z.strictObject({ file: PemPath }), z.strictObject({ env: EnvName })], {
  error: 'expected the path of a PEM file, { file: PATH } or { env: NAME } (an environment variable holding the PEM)',
});
/** A public PEM (certificate, CA bundle, public key): a file path. */
const PemFile = PemPath;
export type SecretSourceConfig = z.output<typeof SecretSource>;

/** What our DFSPs present to a secured hub they do not own, and check of it (docs/security.md). */
const SecuritySchema = z.strictObject({
  /** Mutual TLS towards the hub (FSPIOP API, admin API and token endpoint). */
  tls: z.strictObject({ cert: PemFile, key: PrivateKeySource, ca: PemFile.optional(), serverName: z.string().min(1).optional() }).optional(),
  /** OAuth2 client credentials: a bearer token on every request. */
  oauth2: z.strictObject({
    tokenUrl: HttpUrl, clientId: z.string().min(1), clientSecret: SecretSource, scope: z.string().min(1).optional(),
    clientAuthentication: z.enum(['basic', 'body']).default('basic'),
  }).optional(),
  /** JWS: our POST/PUT signed; callbacks from the FSPs named here (FSP id → public key or certificate PEM file) verified. */
  jws: z.strictObject({ privateKey: PrivateKeySource.optional(), verificationKeys: z.record(FspId, PemFile).default({}) }).optional(),
  /** Our callback server over https; `requireClientCertificate` demands the hub's, chaining to `ca`. */
  callbackTls: z.strictObject({ cert: PemFile, key: PrivateKeySource, ca: PemFile.optional(), requireClientCertificate: z.boolean().default(false) }).superRefine((tls, ctx) => {
    if (tls.requireClientCertificate && !tls.ca) ctx.addIssue({ code: 'custom', path: ['ca'], message: 'demanding the hub\'s client certificate needs the CA it chains to' });
  }).optional(),
});
export type SecurityConfig = z.output<typeof SecuritySchema>;

/** The sections every target takes. */
const Common = z.strictObject({
  tier: z.enum(TIERS).default('core-test-harness'),
  profile: z.enum(PROFILES).default('smoke'),
  participants: ParticipantsSchema,
  parties: ScenarioPartiesSchema,
  callback: CallbackSchema,
  fspiop: FspiopSchema,
  timeouts: TimeoutsSchema,
  load: LoadSchema,
  k6Operator: K6OperatorSchema,
  resilience: ResilienceSchema,
  /** How deployed components are recognised as gateway, ingress, IAM, monitoring…: regular expressions on image and name. */
  components: ComponentsSchema,
  attestations: z.array(AttestationSchema).default([]),
  reportsDir: z.string().min(1).default('reports'),
});

/** The sections that belong to some targets only, and which. */
const SECTION_OWNERS = {
  embedded: ['embedded'],
  provision: ['url', 'compose', 'kubernetes'],
  security: ['url', 'compose', 'kubernetes'],
  compose: ['compose'],
  kubernetes: ['kubernetes'],
} as const satisfies Record<string, readonly TargetKind[]>;
type Section = keyof typeof SECTION_OWNERS;

/** What to do about a section given to a target it does not belong to. */
const SECTION_FIX: Record<Section, (chosen: TargetKind) => string> = {
  embedded: () => 'remove it, or choose --target embedded',
  provision: (chosen) => `our test DFSPs are provisioned on a hub we do not own; the ${chosen} target provisions its own hub from embedded.onboarding — remove it, or use --target url with hub.url and hub.adminUrl`,
  security: (chosen) => `credentials are for a hub we do not own; the ${chosen} target's hub issues its own to our DFSPs with hub.security: full — remove it, or use --target url`,
  compose: () => 'remove it, or choose --target compose (--harness DIR or --attach PROJECT alone choose it too)',
  kubernetes: () => 'remove it, or choose --target kubernetes',
};

/**
 * A section the chosen target does not take: refused, naming the section, whose it is and the fix.
 * (In the JSON Schema it is `not: {}`, so an editor flags it too.)
 */
function refusedSection(section: Section, chosen: TargetKind) {
  const owners = SECTION_OWNERS[section];
  return z.unknown().superRefine((value, ctx) => {
    if (value === undefined) return;
    // A fault asked for and silently not injected would make a green run look like proof the suite passes a faulty hub.
    if (section === 'embedded' && typeof value === 'object' && value !== null && 'faults' in value && Object.keys((value as { faults: object }).faults ?? {}).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['faults'], message: `faults are injected by the embedded hub; a ${chosen} target cannot be told to misbehave (use --target embedded, or npm run hub -- --fault … and attach to it)` });
      return;
    }
    ctx.addIssue({ code: 'custom', message: `\`${section}\` is for target${owners.length > 1 ? 's' : ''} ${owners.join(', ')}; you chose ${chosen} — ${SECTION_FIX[section](chosen)}` });
  }).transform((): undefined => undefined).optional().meta({ not: {} });
}

/** The sections of the other targets, each refused under this one. */
function foreignSections<T extends TargetKind>(chosen: T) {
  const sections = (Object.keys(SECTION_OWNERS) as Section[]).filter((section) => !(SECTION_OWNERS[section] as readonly TargetKind[]).includes(chosen));
  return Object.fromEntries(sections.map((section) => [section, refusedSection(section, chosen)])) as Record<Section, ReturnType<typeof refusedSection>>;
}

/** `hub.security` is the embedded hub's to honour: any other target's hub is secured by its operator, never by this tool. */
function refusedHubSecurity(chosen: TargetKind) {
  return z.enum(HUB_SECURITY_LEVELS).optional().superRefine((value, ctx) => {
    if (value !== undefined) ctx.addIssue({ code: 'custom', message: `hub.security says how the embedded hub is served; a ${chosen} target's hub is secured (or not) by whoever runs it — remove it, or use --target embedded` });
  });
}

/** A hub URL a target has its own answer for: refused with the reason, never silently ignored (its format is still checked first). */
function refusedHubUrl(message: string) {
  return HttpUrl.optional().superRefine((value, ctx) => {
    if (value !== undefined) ctx.addIssue({ code: 'custom', message });
  });
}

/** The built-in reference hub on loopback: its own hub, admin API and onboarding. */
const EmbeddedTarget = Common.extend({
  ...foreignSections('embedded'),
  target: z.literal('embedded').default('embedded'),
  hub: z.strictObject({
    url: refusedHubUrl('the embedded target starts its own hub and would ignore this URL; to test the hub at this URL use target "url" (--target url), or remove hub.url'),
    // A green run against our own hub must never pass for a run against the hub the user named.
    adminUrl: refusedHubUrl('the embedded target has its own admin API and would probe this one instead of the hub under test; use target "url" with hub.url, or remove hub.adminUrl'),
    sourceIds: SourceIds,
    /** `full`: the embedded hub served as an IaC hub is (--hub-security full); `none` (default): plain and open. */
    security: z.enum(HUB_SECURITY_LEVELS).default('none'),
  }).prefault({}),
  embedded: EmbeddedSchema,
});

/** The hub section of a target that reaches a hub it does not start: its URLs are the user's to give; its security is the hub's, presented through `security`. */
function hubElsewhere(target: 'url' | 'kubernetes') {
  return z.strictObject({
    url: HubUrl.optional(),
    adminUrl: HubAdminUrl.optional(),
    sourceIds: SourceIds,
    security: refusedHubSecurity(target),
  });
}

/** A hub that runs elsewhere, given by URL; with its admin API our test DFSPs are provisioned on it. */
const UrlTarget = Common.extend({
  ...foreignSections('url'),
  target: z.literal('url'),
  hub: hubElsewhere('url').prefault({}).superRefine((hub, ctx) => {
    if (!hub.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when target is "url": the FSPIOP endpoint of the hub under test (or pass --hub-url)' });
  }),
  provision: ProvisionSchema,
  security: SecuritySchema.optional(),
}).superRefine((config, ctx) => {
  if (config.provision.enabled === true && !config.hub.adminUrl) {
    ctx.addIssue({
      code: 'custom', path: ['provision', 'enabled'],
      message: 'provisioning our test DFSPs needs the hub\'s admin API: set hub.adminUrl (central-ledger, port 3001 in a default deployment)',
    });
  }
});

/** The Core Test Harness as a docker compose project: the hub inside is reached through the ports it publishes (compose.endpoints). */
const ComposeTarget = Common.extend({
  ...foreignSections('compose'),
  target: z.literal('compose'),
  hub: z.strictObject({
    url: refusedHubUrl('the compose target reaches the hub inside the harness through the port it publishes (compose.endpoints.fspiop); remove hub.url, or use --target url to test a hub at this URL'),
    adminUrl: refusedHubUrl('the compose target reaches central-ledger\'s admin API through the port the harness publishes (compose.endpoints.admin); remove hub.adminUrl'),
    sourceIds: SourceIds,
    security: refusedHubSecurity('compose'),
  }).prefault({}),
  provision: ProvisionSchema,
  security: SecuritySchema.optional(),
  compose: ComposeSchema,
}).superRefine((config, ctx) => {
  if (!config.compose.harness && !config.compose.attach && !config.compose.minimalCore.enabled) {
    ctx.addIssue({
      code: 'custom', path: ['compose', 'harness'],
      message: 'required when target is "compose": the folder of the harness\'s compose files (--harness DIR, e.g. a checkout of mojaloop/ml-core-test-harness or fixtures/harness), --attach PROJECT for one already running, or --minimal-core',
    });
  }
  if (config.compose.definitionOnly && config.compose.attach) {
    ctx.addIssue({ code: 'custom', path: ['compose', 'attach'], message: 'attaching reads a running project; --definition-only starts and reads none — choose one' });
  }
  if (config.compose.minimalCore.enabled) {
    const core = config.compose.minimalCore;
    for (const [flag, given] of [['--harness', config.compose.harness], ['--attach', config.compose.attach], ['--definition-only', config.compose.definitionOnly || undefined]] as const) {
      if (given !== undefined) ctx.addIssue({ code: 'custom', path: ['compose', 'minimalCore', 'enabled'], message: `the minimal core is brought up from its own definition, not a harness: ${flag} does not go with --minimal-core — choose one` });
    }
    if (core.services.mysql) ctx.addIssue({ code: 'custom', path: ['compose', 'minimalCore', 'services', 'mysql'], message: 'mysql is the minimal core\'s database (compose.minimalCore.database); name the service under test otherwise' });
    const known = ['mysql', ...Object.keys(core.services)];
    for (const service of Object.keys(config.compose.images)) {
      if (!known.includes(service)) ctx.addIssue({ code: 'custom', path: ['compose', 'images', service], message: `--image ${service}=…: the minimal core has no service "${service}"; it has ${known.join(', ')}` });
    }
    for (const [name, service] of Object.entries(core.services)) {
      if (!service.ports.includes(service.health.port)) ctx.addIssue({ code: 'custom', path: ['compose', 'minimalCore', 'services', name, 'health', 'port'], message: `port ${service.health.port} is not among the ports ${name} publishes (${service.ports.join(', ') || 'none'}): its health is asked from the host` });
    }
  }
});

/** A Kubernetes cluster the run reads; with a hub URL, the FSPIOP guarantees run against that hub (as the url target runs them). */
const KubernetesTarget = Common.extend({
  ...foreignSections('kubernetes'),
  target: z.literal('kubernetes'),
  hub: hubElsewhere('kubernetes').prefault({}),
  provision: ProvisionSchema,
  security: SecuritySchema.optional(),
  kubernetes: KubernetesSchema,
}).superRefine((config, ctx) => {
  if (config.kubernetes.k3s.enabled) {
    // The cluster is the one the run brings up: a kubeconfig or context named too would be silently ignored.
    for (const [field, flag] of [['kubeconfig', '--kubeconfig'], ['context', '--context']] as const) {
      if (config.kubernetes[field] !== undefined) ctx.addIssue({ code: 'custom', path: ['kubernetes', field], message: `--k3s brings up its own cluster and reads that one; ${flag} names another — choose one` });
    }
    // The runner finds its cluster as kubectl does, never the one this run brings up (which has no k6-operator either).
    if (config.load.runner === 'k6-operator') ctx.addIssue({ code: 'custom', path: ['load', 'runner'], message: 'the k6-operator runner needs a cluster with grafana/k6-operator installed; the k3s cluster --k3s brings up has none — use --runner builtin or k6 with --k3s, or point the run at that cluster with --kubeconfig' });
  }
  const { fspiop, admin } = config.kubernetes.portForward;
  // One way to each API: a URL given and a forward named too would leave the user guessing which one was tested.
  if (fspiop && config.hub.url) ctx.addIssue({ code: 'custom', path: ['kubernetes', 'portForward', 'fspiop'], message: 'hub.url (--hub-url) already says where the hub\'s FSPIOP API is; a port-forward to it too — choose one' });
  if (admin && config.hub.adminUrl) ctx.addIssue({ code: 'custom', path: ['kubernetes', 'portForward', 'admin'], message: 'hub.adminUrl (--hub-admin-url) already says where the admin API is; a port-forward to it too — choose one' });
  if (admin && !fspiop && !config.hub.url) ctx.addIssue({ code: 'custom', path: ['kubernetes', 'portForward', 'admin'], message: 'the admin API serves a hub whose FSPIOP API is reached too: add kubernetes.portForward.fspiop (e.g. { service: ml-api-adapter, port: 3000 }) or hub.url' });
  if (config.provision.enabled === true && !((config.hub.url || fspiop) && (config.hub.adminUrl || admin))) {
    ctx.addIssue({
      code: 'custom', path: ['provision', 'enabled'],
      message: 'provisioning our test DFSPs on the cluster\'s hub needs its FSPIOP and admin APIs: set hub.url and hub.adminUrl (e.g. their ingress hosts), or port-forward to them (kubernetes.portForward.fspiop and .admin)',
    });
  }
});

/** The config, one shape per target: a section that belongs to another target is refused by its path. */
export const ConfigSchema = z.discriminatedUnion('target', [EmbeddedTarget, UrlTarget, ComposeTarget, KubernetesTarget]).superRefine((config, ctx) => {
  // Two reviews of one guarantee: whichever were read first would decide silently.
  const attested = new Map<string, number>();
  config.attestations.forEach(({ guarantee }, index) => {
    const first = attested.get(guarantee);
    if (first === undefined) attested.set(guarantee, index);
    else ctx.addIssue({
      code: 'custom', path: ['attestations', index, 'guarantee'],
      message: `a second attestation for ${guarantee} (the first is attestations.${first}); keep the one review that vouches for it`,
    });
  });
  const { payer, payee, bystander } = config.participants;
  if (bystander.fspId === payer.fspId || bystander.fspId === payee.fspId) {
    ctx.addIssue({
      code: 'custom', path: ['participants', 'bystander', 'fspId'],
      message: `"${bystander.fspId}" is also the ${bystander.fspId === payer.fspId ? 'payer' : 'payee'}'s FSP id: the bystander asks about transfers it is no party to, so it needs an id of its own`,
    });
  }
});

/**
 * The one place a target is implied (config file and command line merged): a hub URL without a
 * target means that hub — the url target rather than the embedded hub, which would test something
 * else than what the user named — and a harness, a project to attach to or the minimal core means the compose target,
 * a k3s cluster to bring up (`--k3s`) the kubernetes target.
 * Nothing else implies one; no target at all is the embedded one (the schema's default).
 * A run that provisions its DFSPs on a hub gives them ids of their own unless the config names
 * them: the defaults ("payerfsp", a well-known test MSISDN) may belong to DFSPs already on a shared hub.
 */
export function impliedTarget(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  let config = input as { target?: unknown; hub?: { url?: unknown; adminUrl?: unknown }; compose?: { harness?: unknown; attach?: unknown }; provision?: { enabled?: unknown }; participants?: Record<string, Record<string, unknown> | undefined> };
  if (config.target === undefined) {
    if (section(config.hub).url !== undefined) config = { ...config, target: 'url' };
    else if (section(config.compose).harness !== undefined || section(config.compose).attach !== undefined || section(section(config.compose).minimalCore).enabled === true) config = { ...config, target: 'compose' };
    else if (section(section((config as { kubernetes?: unknown }).kubernetes).k3s).enabled === true) config = { ...config, target: 'kubernetes' };
  }
  if (!provisions(config)) return config;
  const participants = { ...config.participants };
  for (const role of ['payer', 'payee', 'bystander'] as const) {
    const given = participants[role];
    participants[role] = { ...PROVISIONED_IDENTITIES[role], ...(typeof given === 'object' && given !== null ? given : {}) };
  }
  return { ...config, participants };
}

/** An object of the raw input, or an empty one (a section left out or of the wrong type, which the schema reports). */
function section(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? value as Record<string, unknown> : {};
}

/** Whether a run provisions its own DFSPs on the hub under test (raw input: before defaults). */
function provisions(config: { target?: unknown; hub?: { adminUrl?: unknown }; provision?: { enabled?: unknown } }): boolean {
  const enabled = typeof config.provision === 'object' && config.provision !== null ? config.provision.enabled : undefined;
  // A harness brought up by the compose target is provisioned through its admin API when it publishes one; its own simulators may hold the default ids.
  if (config.target === 'compose') return enabled !== false;
  // A kubernetes target with a hub URL reaches that hub through a url target inside, which provisions the same way.
  // Port-forwards to its FSPIOP and admin APIs stand for hub.url and hub.adminUrl.
  const forwards = config.target === 'kubernetes' ? section(section((config as { kubernetes?: unknown }).kubernetes).portForward) : {};
  const hub = section(config.hub);
  const throughUrl = config.target === 'url' || (config.target === 'kubernetes' && (hub.url !== undefined || forwards.fspiop !== undefined));
  return throughUrl && enabled !== false && (enabled === true || hub.adminUrl !== undefined || forwards.admin !== undefined);
}

/**
 * The embedded hub's settings, or their defaults where the target runs no embedded hub: our own
 * simulated payee beside a hub given by URL holds the same onboarding fixture's parties.
 */
export function embeddedSettings(config: ConformanceConfig): EmbeddedSettings {
  return config.target === 'embedded' ? config.embedded : EmbeddedSchema.parse(undefined);
}
export type EmbeddedSettings = z.output<typeof EmbeddedSchema>;

/** Whether this (validated) config provisions our DFSPs on the hub under test. */
export function provisionsDfsps(config: ConfigFor<'url'>): boolean {
  return config.provision.enabled ?? config.hub.adminUrl !== undefined;
}

/**
 * What a config file and the command line may set, merged before the target is known (every field
 * optional); the schema then holds each section to the target chosen.
 */
export type ConfigInput = z.input<typeof Common> & {
  target?: TargetKind;
  hub?: { url?: string; adminUrl?: string; sourceIds?: string[]; security?: (typeof HUB_SECURITY_LEVELS)[number] };
  embedded?: z.input<typeof EmbeddedSchema>;
  provision?: z.input<typeof ProvisionSchema>;
  compose?: z.input<typeof ComposeSchema>;
  kubernetes?: z.input<typeof KubernetesSchema>;
};
/** A validated config with every default filled in: one shape per target (narrow on `target` to read a target's own section). */
export type ConformanceConfig = z.output<typeof ConfigSchema>;
/** The validated config of one target. */
export type ConfigFor<T extends TargetKind> = Extract<ConformanceConfig, { target: T }>;
