import { DEFAULT_K3S_IMAGE, PROFILES, TARGETS, TIERS } from '../config/schema.ts';

export const HELP = `Usage: npm run conformance -- [options]

Proves that a Mojaloop deployment delivers the guarantees of its tier, and says which ones
it could not evaluate and why.

Tiers (--tier, default core-test-harness)
  core-test-harness  docker-compose harness for learning, development and CI (no SLA)
  miniloop           single-node Kubernetes (k3s / MicroK8s) with Helm (no SLA)
  helm               production Helm charts: 1000 TPS for 1 h, p99 < 1 s, RTO/RPO near zero
  iac                multi-platform GitOps with IAM, monitoring and full security

Targets (--target, default embedded)
  embedded    built-in reference hub and simulated DFSPs on loopback; needs nothing installed
  url         a running hub's FSPIOP endpoint (--hub-url); our payer DFSP's callback server must be
              reachable by that hub (--callback-host/--callback-port, default port 4100). With its
              admin API (--hub-admin-url) the run provisions test DFSPs of its own on it (our payee
              listens on the callback port + 1) and evaluates every functional guarantee
  compose     the Core Test Harness as a docker compose project (--harness DIR, docs/compose.md):
              brought up with testcontainers, inventoried from the Docker engine and torn down; without
              an engine (or with --definition-only) its compose files are evaluated on their own;
              --minimal-core brings up the hub's services and its database alone, without a harness
  kubernetes  a cluster through its API, read-only (kubeconfig as kubectl finds it: KUBECONFIG,
              ~/.kube/config); its deployment, resource, data and hardening guarantees. With
              --hub-url the FSPIOP guarantees run against that hub as well, and the resilience
              scenarios delete one pod each under load (docs/kubernetes.md, "Faults")

Profiles (--profile, default smoke)
  smoke       60 s at up to 20 transfers/s: proves the path works; an SLA it would pass is NOT
              EVALUATED (what was held is the evidence), one it fails is FAIL
  certify     the load the feature text states (HELM, IaC: 1000 transfers/s for a full hour of
              steady state, plus 5 min warm-up and 2 min drain); the only profile that can certify an SLA
  soak        a quarter of the asked rate for 8 hours; finds leaks and slow degradation
  (each is scenarios/<name>.yaml)

Options
  -c, --config FILE            YAML, JSON or TypeScript config (schema: schema/conformance-config.schema.json)
      --hub-url URL            FSPIOP endpoint of the hub under test (implies --target url)
      --hub-admin-url URL      its admin API (central-ledger, port 3001): provisions our test DFSPs
      --provision-dry-run      print the calls provisioning would make on the hub, make none, stop
      --callback-host HOST     address our callback server listens on (default 127.0.0.1)
      --callback-port PORT     its port (embedded: any free port; url: 4100)
      --callback-public-url U  URL the hub must call if not http://HOST:PORT
      --kubeconfig FILE        kubernetes: the kubeconfig (default KUBECONFIG, else ~/.kube/config)
      --context NAME           kubernetes: a context of it (default its current context)
      --namespace NS[,NS]      kubernetes: read only these namespaces (repeatable; default all)
      --k3s                    kubernetes: bring up a single-node k3s cluster in a container
                               (@testcontainers/k3s; needs Docker) and read it; torn down after
      --k3s-image IMAGE        the k3s image (implies --k3s; default ${DEFAULT_K3S_IMAGE})
      --port-forward API=[NS/]SERVICE:PORT
                               kubernetes: reach the hub's API (fspiop or admin) through a port-forward
                               to that Service when no URL is given (repeatable), e.g.
                               fspiop=ml-api-adapter:3000, admin=centralledger:3001
      --reports-dir DIR        where reports go (default reports/)
      --runner auto|builtin|k6|k6-operator
                               who drives SLA load (default auto: k6 when on PATH, else builtin);
                               k6 asked for and not installed: exit 4; k6-operator: k6 in runner
                               pods of a TestRun in the cluster (k6Operator, docs/kubernetes.md)
      --hub-security none|full embedded hub: full serves it as an IaC hub is served — TLS 1.2+ with
                               client certificates, OAuth2 bearer tokens, JWS on every POST/PUT, an
                               admin API closed to anonymous calls; a CA and our DFSPs' credentials
                               are made at start (config: hub.security; default none, plain and open)
      --fault NAME[=VALUE]     embedded hub misbehaves on purpose (repeatable), to prove a guarantee
                               fails when it should: dropCallbacks=0.2, serverErrors=0.1,
                               callbackDelayMs=1200 or =100-900, acceptWrongFulfilment,
                               skipDuplicateCheck, doubleBookResends, leakReservations, skipPayeeNotification,
                               ignoreNetDebitCap, skipExpiry,
                               callbackSource=NAME, staleCallbackDateMs=N, omitCallbackField=NAME,
                               crashAfterTransfers=N, volatileLedger;
                               \`npm run faults\` runs each and tabulates what failed
      --harness DIR            compose target: the harness's folder (ml-core-test-harness checkout, fixtures/harness)
      --compose-profile NAME   compose profile to start (repeatable; default all-services, ttk-provisioning)
      --compose-file FILE      another compose file on top (repeatable), e.g. docker-compose-monitoring.yml
      --compose-env-file FILE  env file the compose files interpolate (default .env, else dot-env)
      --image SERVICE=IMAGE    run a candidate image of one service in the harness (repeatable),
                               e.g. central-ledger=mojaloop/central-ledger:v19.5.0-rc1
      --attach PROJECT         use a compose project already running; never stopped by the run
      --keep                   leave the harness running after the run (prints how to take it down)
      --definition-only        evaluate the compose files only; start nothing, even with Docker
      --minimal-core           compose target without a harness: the database (@testcontainers/mysql) and the
                               services under test as containers on one network; no message broker
      --tags EXPR              Cucumber tag expression to run a subset, e.g. "@guarantee:CTH-FUN-01"
      --require-certificate    exit 3 unless the tier is CERTIFIED (release gating)
      --require-evaluated EXPR exit 3 when a guarantee matching this tag expression is NOT EVALUATED,
                               e.g. "@concern:functional" (CI gating that skipped checks cannot pass)
      --list                   print the catalogue of guarantees and the capability each needs
  -h, --help                   this text

Exit codes
  0 every evaluated guarantee passed (at least one)    1 a guarantee failed    2 bad command line or config
  3 nothing evaluated, not certified with --require-certificate, or a guarantee --require-evaluated
    names not evaluated    4 target unavailable, or no callback of the hub reaches this run
  70 internal error    130 interrupted (Ctrl-C tears down; a second Ctrl-C exits at once, naming what
    it leaves running and the command that removes it)

Results: reports/latest/ (a link to this run's reports/runs/<run id>/): result.json (machine-readable), report.html,
junit.xml, summary.md, attestation.intoto.json (npm run verify-report); reports/allure-results (npm run report → HTML).
`;

// Keep the text honest: every value the schema accepts is documented above.
for (const value of [...TIERS, ...TARGETS, ...PROFILES]) {
  if (!HELP.includes(`  ${value} `)) throw new Error(`help text does not document "${value}"`);
}
