'use strict';
// Personal information of kids: guardian consent per purpose, collection only for a declared purpose that needs
// the field, access and deletion requests, and privacy incidents (letters to guardians, a report for the authority).
// Values are kept in memory like the rest of this sample, in plain form: nothing here is encrypted.

const crypto = require('node:crypto');
const rules = require('./rules');
const { redact } = require('./privacy');

const ANSWERS = ['granted', 'refused'];
const REQUEST_TYPES = ['access', 'deletion'];
const SHA256_HEX = /^[0-9a-f]{64}$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_VALUE = 2000;
const MAX_TEXT = 2000;

const newId = (prefix) => prefix + crypto.randomBytes(8).toString('hex');
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
const str = (v, max) => typeof v === 'string' && v.length >= 1 && v.length <= max;

/**
 * Adds the routes. Kid-facing routes live under /api/v2/kids/:kid/privacy; incident handling is staff work, which the
 * harness does as the privacy officer through conformance routes (like complaint moderation).
 */
function registerPersonalInfo({ route, withKid, kids, pack, inventory, now, why, verdict, invalid, log, conformance }) {
  const incidents = new Map();
  const pi = pack.personalInfo;

  const piOf = (kid) => {
    if (!kid.pi) kid.pi = { consents: [], values: [], requests: [], letters: [] };
    // Retention: a value past its purpose's retention is gone, whether or not anyone asked.
    const t = now();
    kid.pi.values = kid.pi.values.filter((v) => v.expiresAt > t);
    return kid.pi;
  };

  /** [minor, under the consent age]. Unknown age in teen mode counts as the youngest band; otherwise as an adult. */
  function classify(kid) {
    const local = rules.toLocal(now(), pack.timeZone);
    if (kid.born) {
      const age = rules.ageOn(kid.born, local.date);
      return [age < pi.adultAge, age < pi.consentUnderAge];
    }
    if (!kid.teen) return [false, false];
    return [true, rules.bandFor(pack, null).fromAge < pi.consentUnderAge];
  }

  /** The reason a value may not be collected now, or null. */
  function collectionProblem(kid, fieldName, purposeId) {
    const purpose = inventory.purposes.get(purposeId);
    if (!purpose) return 'purpose-not-declared';
    if (!purpose.fields.includes(fieldName)) return 'field-not-needed-for-purpose';
    const field = inventory.fields.get(fieldName);
    // The latest answer naming the purpose is the one in force.
    const last = [...piOf(kid).consents].reverse().find((c) => c.purposes.includes(purposeId));
    if (last) return last.answer === 'granted' ? null : `consent-${last.answer}`;
    const [minor, child] = classify(kid);
    if (minor && (purpose.offByDefaultForMinors || field.category === 'precise-location')) return 'off-by-default-for-minors';
    if (child) return 'consent-required';
    return null;
  }

  /** Removes the kid's values (all, or those collected for the purposes); returns how many went. */
  function erase(kid, purposes, because) {
    const mine = piOf(kid);
    const gone = mine.values.filter((v) => purposes === null || purposes.includes(v.purpose));
    mine.values = mine.values.filter((v) => !gone.includes(v));
    if (gone.length > 0) log.info(`erased ${gone.length} personal-data value(s) of ${kid.kidId} (${because})`);
    return gone.length;
  }

  function consentProblem(kid, b, needHash) {
    const errors = {};
    if (!str(b.parentId, 128)) errors.parentId = '1-128 characters';
    if (!Array.isArray(b.purposes) || b.purposes.length < 1 || b.purposes.length > 20 || !b.purposes.every((p) => str(p, 64))) {
      errors.purposes = '1-20 purpose ids';
    }
    if (needHash && (typeof b.noticeSha256 !== 'string' || !SHA256_HEX.test(b.noticeSha256))) errors.noticeSha256 = '64 lower-case hex digits (SHA-256 of the notice shown)';
    if (needHash && b.answer !== undefined && !ANSWERS.includes(b.answer)) errors.answer = ANSWERS.join(' | ');
    if (Object.keys(errors).length) return invalid(errors);
    if (!b.purposes.every((p) => inventory.purposes.has(p))) return [422, verdict(false, 'purpose-not-declared')];
    // Only the bound guardian answers for the kid.
    if (kid.guardian === null || kid.guardian.parentId !== b.parentId) return [403, verdict(false, 'no-guardian-bound')];
    return null;
  }

  function recordConsent(kid, parentId, answer, purposes, noticeSha256) {
    const consent = { id: newId('cons_'), parentId, answer, purposes: [...new Set(purposes)], noticeSha256, at: now() };
    piOf(kid).consents.push(consent);
    log.info(`consent ${answer} for ${kid.kidId}: ${consent.purposes.join(',')}`);
    // A refusal or withdrawal ends the purposes: what was collected under them goes (PIPL art. 47).
    const erased = answer === 'granted' ? 0 : erase(kid, consent.purposes, `consent-${answer}`);
    return [answer === 'withdrawn' ? 200 : 201, {
      consent: { id: consent.id, state: answer, purposes: consent.purposes, at: iso(consent.at) },
      erased: { total: erased },
      why: why('allowed'),
    }];
  }

  route('POST', '/api/v2/kids/:kid/privacy/consents', withKid((kid, req, p, body) => {
    const b = body || {};
    const problem = consentProblem(kid, b, true);
    return problem || recordConsent(kid, b.parentId, b.answer || 'granted', b.purposes, b.noticeSha256);
  }));

  route('POST', '/api/v2/kids/:kid/privacy/consents/withdrawals', withKid((kid, req, p, body) => {
    const b = body || {};
    const problem = consentProblem(kid, b, false);
    if (problem) return problem;
    // The withdrawal cites the notice the last grant was given against.
    const lastGrant = [...piOf(kid).consents].reverse().find((c) => c.answer === 'granted');
    return recordConsent(kid, b.parentId, 'withdrawn', b.purposes, lastGrant ? lastGrant.noticeSha256 : null);
  }));

  route('POST', '/api/v2/kids/:kid/privacy/data', withKid((kid, req, p, body) => {
    const b = body || {};
    const errors = {};
    if (!str(b.field, 64)) errors.field = '1-64 characters';
    if (!str(b.purpose, 64)) errors.purpose = '1-64 characters';
    if (typeof b.value !== 'string' || b.value.length > MAX_VALUE) errors.value = `a string of up to ${MAX_VALUE} characters`;
    if (Object.keys(errors).length) return invalid(errors);
    const problem = collectionProblem(kid, b.field, b.purpose);
    if (problem) return [403, verdict(false, problem)];
    const purpose = inventory.purposes.get(b.purpose);
    const at = now();
    const mine = piOf(kid);
    mine.values = mine.values.filter((v) => !(v.field === b.field && v.purpose === b.purpose));
    mine.values.push({ field: b.field, purpose: b.purpose, category: inventory.fields.get(b.field).category, value: b.value, collectedAt: at, expiresAt: at + purpose.retentionMs });
    // The field name only: never the value.
    log.info(`collected ${b.field} for ${b.purpose} of ${kid.kidId}`);
    return [201, verdict(true, 'allowed')];
  }));

  // Access (a copy of everything held) and deletion requests, from the kid or the bound guardian.
  route('POST', '/api/v2/kids/:kid/privacy/requests', withKid((kid, req, p, body) => {
    const b = body || {};
    const errors = {};
    if (!REQUEST_TYPES.includes(b.type)) errors.type = REQUEST_TYPES.join(' | ');
    if (!str(b.by, 128)) errors.by = '1-128 characters';
    if (Object.keys(errors).length) return invalid(errors);
    const at = now();
    const request = {
      id: newId('req_'), type: b.type, by: b.by, at,
      dueBy: pi.requestDueDays === null ? null : at + pi.requestDueDays * 24 * 3600 * 1000, state: 'received',
    };
    const mine = piOf(kid);
    mine.requests.push(request);
    const known = b.by === kid.kidId || (kid.guardian !== null && kid.guardian.parentId === b.by);
    const out = { request: null, copy: null, erased: null, why: why('allowed') };
    if (!known) {
      request.state = 'refused';
      out.why = why('requester-not-verified');
    } else if (b.type === 'access') {
      out.copy = {
        inventory: inventory.id,
        total: mine.values.length,
        items: mine.values.map((v) => ({ field: v.field, purpose: v.purpose, category: v.category, value: v.value, collectedAt: iso(v.collectedAt), keepUntil: iso(v.expiresAt) })),
        consents: mine.consents.map((c) => ({ state: c.answer, purposes: c.purposes, parentId: c.parentId, at: iso(c.at) })),
      };
      request.state = 'completed';
    } else {
      out.erased = { total: erase(kid, null, 'deletion-request') };
      request.state = 'completed';
    }
    request.doneAt = now();
    out.request = { id: request.id, type: request.type, state: request.state, dueBy: iso(request.dueBy), doneAt: iso(request.doneAt) };
    log.info(`${request.type} request ${request.id} for ${kid.kidId}: ${request.state}`);
    return [201, out];
  }));

  // The guardian's incident letters about this kid (delivered ones only), newest first.
  route('GET', '/api/v2/kids/:kid/privacy/incident-letters', withKid((kid) => {
    const sent = piOf(kid).letters.filter((l) => l.sentAt !== null).sort((a, b) => b.sentAt - a.sentAt);
    return [200, {
      total: sent.length,
      letters: sent.map((l) => ({ id: l.id, incidentId: l.incidentId, to: { kind: l.toKind, id: l.toId }, text: l.text, sentAt: iso(l.sentAt) })),
      why: why('allowed'),
    }];
  }));

  function letterText(incident, dataKinds) {
    const when = iso(incident.happenedAt);
    const kinds = dataKinds.join(', ');
    return {
      zh: `个人信息安全事件通知（${incident.id}）：${when} 发生的事件涉及您监护的未成年人的以下个人信息：${kinds}。原因：${incident.cause}。可能的危害：${incident.harm}。补救措施及您可采取的措施：${incident.remedies}。联系方式：${incident.contact}。`,
      en: `Personal-information incident notice (${incident.id}): an incident at ${when} involved these kinds of personal information of the minor in your care: ${kinds}. Cause: ${incident.cause}. Possible harm: ${incident.harm}. Remedies and what you can do: ${incident.remedies}. Contact: ${incident.contact}.`,
    };
  }

  const lettersOf = (incident) => incident.kids.flatMap((k) => piOf(kids.get(k)).letters.filter((l) => l.incidentId === incident.id));

  const incidentView = (incident) => {
    const letters = lettersOf(incident);
    return {
      id: incident.id, state: incident.state, happenedAt: iso(incident.happenedAt), declaredAt: iso(incident.declaredAt),
      dataKinds: incident.dataKinds, kids: incident.kids.length,
      letters: { total: letters.length, sent: letters.filter((l) => l.sentAt !== null).length },
    };
  };

  if (conformance) {
    // The harness acts as the privacy officer here ('conformance-dpo').
    route('POST', '/__conformance/privacy-incidents', (req, p, body) => {
      const b = body || {};
      const errors = {};
      const happenedAt = typeof b.happenedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(b.happenedAt) ? Date.parse(b.happenedAt) : NaN;
      if (Number.isNaN(happenedAt)) errors.happenedAt = 'ISO-8601 instant';
      if (!Array.isArray(b.dataKinds) || b.dataKinds.length < 1 || !b.dataKinds.every((k) => typeof k === 'string' && KEBAB.test(k))) errors.dataKinds = '1+ kebab-case kinds such as birth-date';
      if (!Array.isArray(b.kids) || b.kids.length < 1 || !b.kids.every((k) => str(k, 128))) errors.kids = '1+ kid ids';
      for (const name of ['cause', 'harm', 'remedies', 'contact']) if (!str(b[name], MAX_TEXT)) errors[name] = `1-${MAX_TEXT} characters`;
      if (Object.keys(errors).length) return invalid(errors);
      if (!b.kids.every((k) => kids.has(k))) return [422, verdict(false, 'unknown-kid')];
      // Free text may quote the leaked data itself, and it goes to guardians and the authority: masked.
      const incident = {
        id: newId('inc_'), state: 'declared', happenedAt, declaredAt: now(), dataKinds: [...new Set(b.dataKinds)], kids: [...new Set(b.kids)],
        cause: redact(b.cause), harm: redact(b.harm), remedies: redact(b.remedies), contact: b.contact,
      };
      incidents.set(incident.id, incident);
      for (const kidId of incident.kids) {
        const kid = kids.get(kidId);
        // To the bound guardian; a kid with none is told directly.
        const [toKind, toId] = kid.guardian !== null ? ['guardian', kid.guardian.parentId] : ['minor', kid.kidId];
        piOf(kid).letters.push({ id: newId('let_'), incidentId: incident.id, toKind, toId, text: letterText(incident, incident.dataKinds), sentAt: null });
      }
      log.info(`privacy incident ${incident.id} declared: ${incident.kids.length} kid(s), ${incident.dataKinds.join(',')}`);
      return [201, { incident: incidentView(incident), why: why('allowed') }];
    }, { conformance: true });

    const step = (from, to, act) => (req, p) => {
      const incident = incidents.get(p.id);
      if (!incident) return [404, { why: why('unknown-incident') }];
      if (incident.state !== from) return [409, { incident: incidentView(incident), ...verdict(false, 'incident-step-not-allowed') }];
      const sent = act(incident);
      incident.state = to;
      log.info(`privacy incident ${incident.id}: ${to}`);
      return [200, { incident: incidentView(incident), sentNow: sent, why: why('allowed') }];
    };

    // Delivers the letters into the guardians' in-app inbox (this sample has no other channel).
    route('POST', '/__conformance/privacy-incidents/:id/letters', step('declared', 'notified', (incident) => {
      const pending = lettersOf(incident).filter((l) => l.sentAt === null);
      for (const l of pending) l.sentAt = now();
      return pending.length;
    }), { conformance: true });

    route('POST', '/__conformance/privacy-incidents/:id/authority-report', step('notified', 'reported', () => 0), { conformance: true });

    // What the authority gets: the kids by id and counts per kind of data; no values, no guardian contact details.
    route('GET', '/__conformance/privacy-incidents/:id/authority-report', (req, p) => {
      const incident = incidents.get(p.id);
      if (!incident) return [404, { why: why('unknown-incident') }];
      const perDataKind = {};
      for (const k of incident.dataKinds) perDataKind[k] = incident.kids.length;
      return [200, {
        incident: incidentView(incident),
        cause: incident.cause, harm: incident.harm, remedies: incident.remedies, contact: incident.contact,
        affected: incident.kids.map((kidId) => ({ kidId, dataKinds: incident.dataKinds })),
        perDataKind,
        why: why('allowed'),
      }];
    }, { conformance: true });
  }
}

module.exports = { registerPersonalInfo };
