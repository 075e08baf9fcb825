// The teen-mode usage decision in two policy engines, for the peer comparison run by
// `dotnet run -c Release --project tests/TeenMode.Benchmarks -- peers`.
//
//   node peers.mjs POLICIES.json MIX.json
//
// The .NET side writes both files: the policies come from the rule pack (this file holds no rule numbers),
// the mix is its fixed-seed request list. Policies are parsed and loaded once, every request object is built
// once, then commands arrive on stdin, one a line, and each answer is one JSON line on stdout:
//   info            -> engine versions
//   decide          -> every request's [decision, reason] from each engine
//   time ENGINE N   -> nanoseconds for N passes over the whole mix (ENGINE: cedar or casbin)
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { newEnforcer, newModelFromString } from 'casbin';

// Node 20's V8 aborts ("Fatal error ... unreachable code" in Deoptimizer::DoComputeBuiltinContinuation) when
// code with an inlined JS-to-Wasm call is deoptimised lazily mid-call, as happens here once the decide pass has
// retained its results. Not inlining that call avoids it; set before any of this file's code is optimised.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const [policiesPath, mixPath] = process.argv.slice(2);
if (!policiesPath || !mixPath) {
  console.error('usage: node peers.mjs POLICIES.json MIX.json');
  process.exit(2);
}

const spec = JSON.parse(readFileSync(policiesPath, 'utf8'));
const mix = JSON.parse(readFileSync(mixPath, 'utf8'));

// Cedar: the policy set parsed once into the wasm module's cache; each call names it by id.
const c = spec.cedar;
const setId = 'teen-mode';
const parsed = cedar.preparsePolicySet(setId, { staticPolicies: c.policies });
if (parsed.type !== 'success') {
  throw new Error(`cedar policies: ${JSON.stringify(parsed.errors)}`);
}

// The subject is a member of its band (principal in Band::"12-16"); one entity list per band, shared.
const entitiesByBand = mix.bands.map((band) => [
  { uid: { type: c.subjectType, id: `subject-${band}` }, attrs: {}, parents: [{ type: c.bandType, id: band }] },
]);
const cedarCalls = mix.requests.map(([band, teenMode, localSecond, usedSeconds]) => ({
  principal: { type: c.subjectType, id: `subject-${mix.bands[band]}` },
  action: c.action,
  resource: c.resource,
  context: { teenMode: teenMode === 1, localSecond, usedSeconds },
  entities: entitiesByBand[band],
  preparsedPolicySetId: setId,
}));

// Several forbids can hold at once (curfew and budget); the reason is the first in the pack's order.
function cedarDecide(call) {
  const answer = cedar.statefulIsAuthorized(call);
  if (answer.type !== 'success') {
    return ['error', answer.errors.map((e) => e.message).join('; ')];
  }
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) {
    return ['error', diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')];
  }
  let best = c.precedence.length;
  for (const id of diagnostics.reason) {
    const rank = c.precedence.indexOf(c.reasons[id]);
    if (rank >= 0 && rank < best) {
      best = rank;
    }
  }
  return [decision, best < c.precedence.length ? c.precedence[best] : `no-policy:${diagnostics.reason.join(',')}`];
}

// Casbin: ABAC with eval() rules, the first matching rule wins (priority effect); loaded once.
const s = spec.casbin;
const enforcer = await newEnforcer(newModelFromString(s.model));
await enforcer.addPolicies(s.policies);
const casbinCalls = mix.requests.map(([band, teenMode, localSecond, usedSeconds]) => [
  { band: mix.bands[band], teenMode: teenMode === 1, usedSeconds },
  s.action,
  { localSecond },
]);

function casbinDecide(rvals) {
  const [allowed, rule] = enforcer.enforceExSync(...rvals);
  return [allowed ? 'allow' : 'deny', rule.length > 0 ? rule[s.reasonField] : 'no-rule'];
}

const engines = {
  cedar: { calls: cedarCalls, decide: cedarDecide },
  casbin: { calls: casbinCalls, decide: casbinDecide },
};

function decideAll(engine) {
  const { calls, decide } = engines[engine];
  const decisions = new Array(calls.length);
  for (let i = 0; i < calls.length; i++) {
    decisions[i] = decide(calls[i]);
  }
  return decisions;
}

function time(engine, passes) {
  const { calls, decide } = engines[engine];
  let denies = 0;
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < calls.length; i++) {
      if (decide(calls[i])[0] === 'deny') {
        denies++;
      }
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { engine, passes, decisions: passes * calls.length, ns, denies };
}

const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const answers = {
  info: () => ({
    node: process.version,
    cedar: cedar.getCedarVersion(),
    cedarWasm: versionOf('@cedar-policy/cedar-wasm'),
    casbin: versionOf('casbin'),
  }),
  decide: () => ({ cedar: decideAll('cedar'), casbin: decideAll('casbin') }),
  time: (engine, passes) => (engines[engine] ? time(engine, Number(passes)) : { error: `unknown engine ${engine}` }),
};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const [command, ...args] = line.trim().split(/\s+/);
  if (!command) {
    continue;
  }
  const answer = answers[command];
  process.stdout.write(`${JSON.stringify(answer ? answer(...args) : { error: `unknown command ${command}` })}\n`);
}
