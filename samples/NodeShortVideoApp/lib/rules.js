'use strict';
// Loads a TeenMode rule pack (seeds/rules/*.json) and answers the time questions the app asks.
// Every regulatory number comes from the pack; none is written in this file.

const fs = require('node:fs');

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

class RulePackError extends Error {}

function loadRulePack(file) {
  let pack;
  try {
    pack = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RulePackError(`${file}: cannot read rule pack / 无法读取规则包: ${err.message}`);
  }
  const fail = (what) => { throw new RulePackError(`${file}: ${what}`); };
  if (typeof pack.id !== 'string' || typeof pack.version !== 'string') fail('id and version are required / 缺少 id 或 version');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: pack.timeZone });
  } catch {
    fail(`unknown timeZone '${pack.timeZone}' / 未知时区`);
  }
  const curfew = pack.defaults && pack.defaults.curfew;
  if (!curfew || !HHMM.test(curfew.start) || !HHMM.test(curfew.end)) fail('defaults.curfew.start/end must be HH:mm / 宵禁时间格式无效');
  const rest = pack.defaults.restReminderMinutes && pack.defaults.restReminderMinutes.value;
  if (rest !== undefined && !(Number.isInteger(rest) && rest > 0)) fail('defaults.restReminderMinutes.value must be a positive integer');
  if (!Array.isArray(pack.bands) || pack.bands.length === 0) fail('bands must be a non-empty array / 缺少年龄段');
  const bands = pack.bands.map((b, i) => {
    const minutes = b.dailyMinutes && b.dailyMinutes.value;
    if (!Number.isInteger(b.fromAge) || !Number.isInteger(b.toAge) || b.fromAge >= b.toAge) fail(`bands[${i}]: fromAge < toAge required`);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) fail(`bands[${i}].dailyMinutes.value must be 0..1440`);
    if (i > 0 && pack.bands[i - 1].toAge !== b.fromAge) fail(`bands[${i}]: bands must be contiguous (half-open [from, to))`);
    // How far a guardian may loosen this band (the band's own guardianBounds, else the defaults'); null: not at all.
    const gb = b.guardianBounds || pack.defaults.guardianBounds || null;
    const bounds = gb === null ? null : Object.freeze({
      maxDailyMinutes: gb.maxDailyMinutes.value,
      minCurfewStart: minutesOf(gb.minCurfew.start),
      minCurfewEnd: minutesOf(gb.minCurfew.end),
    });
    return Object.freeze({ label: `${b.fromAge}-${b.toAge}`, fromAge: b.fromAge, toAge: b.toAge, dailyMinutes: minutes, bounds });
  });
  const labels = bands.map((b) => b.label);
  return Object.freeze({
    id: pack.id,
    version: pack.version,
    timeZone: pack.timeZone,
    curfewStart: minutesOf(curfew.start),
    curfewEnd: minutesOf(curfew.end),
    restReminderMinutes: rest === undefined ? null : rest,
    bands: Object.freeze(bands),
    contentPool: contentPoolOf(pack.contentPool, labels, fail),
    reporting: reportingOf(pack.reporting, fail),
    guardian: guardianOf(pack.guardianSettings, fail),
    personalInfo: personalInfoOf(pack.personalInfo, bands, fail),
  });
}

/**
 * personalInfo: the age below which a guardian's separate consent is needed, and the days to answer a data request.
 * With no section, every minor needs consent (the protective reading) and requests get no due date.
 */
function personalInfoOf(pi, bands, fail) {
  const adultAge = bands[bands.length - 1].toAge;
  if (pi === undefined || pi === null) return Object.freeze({ consentUnderAge: adultAge, adultAge, requestDueDays: null });
  const under = pi.guardianConsentUnderAge && pi.guardianConsentUnderAge.value;
  if (!Number.isInteger(under) || under < 0 || under > adultAge) fail(`personalInfo.guardianConsentUnderAge.value must be 0..${adultAge}`);
  const due = pi.dataSubjectRequestDueDays && pi.dataSubjectRequestDueDays.value;
  if (due !== undefined && !positiveInt(due)) fail('personalInfo.dataSubjectRequestDueDays.value must be a positive integer');
  return Object.freeze({ consentUnderAge: under, adultAge, requestDueDays: due === undefined ? null : due });
}

const positiveInt = (v) => Number.isInteger(v) && v > 0;

/** guardianSettings: app categories, default exemptions and feature defaults; null when the pack has none. */
function guardianOf(g, fail) {
  if (g === undefined || g === null) return null;
  if (!Array.isArray(g.appCategories)) fail('guardianSettings.appCategories must be an array');
  const exempt = (g.exemptByDefault && g.exemptByDefault.value) || [];
  if (!exempt.every((c) => g.appCategories.includes(c))) fail('guardianSettings.exemptByDefault must name appCategories');
  const features = {};
  for (const [name, f] of Object.entries(g.features || {})) {
    if (typeof f.teenModeDefault !== 'boolean' || typeof f.guardianMayEnable !== 'boolean') fail(`guardianSettings.features.${name} needs teenModeDefault and guardianMayEnable`);
    features[name] = Object.freeze({ teenModeDefault: f.teenModeDefault, guardianMayEnable: f.guardianMayEnable });
  }
  return Object.freeze({ appCategories: Object.freeze([...g.appCategories]), exemptByDefault: Object.freeze([...exempt]), features: Object.freeze(features) });
}

/** contentPool: audio-first bands and richness thresholds; null when the pack sets none (then nothing is assessed). */
function contentPoolOf(pool, labels, fail) {
  if (pool === undefined || pool === null) return null;
  const audioBands = (pool.audioFirst && pool.audioFirst.bands) || [];
  if (!Array.isArray(audioBands) || !audioBands.every((b) => labels.includes(b))) {
    fail(`contentPool.audioFirst.bands must name bands of the pack (${labels.join(', ')}) / 音频优先年龄段无效`);
  }
  const r = pool.richness || {};
  const threshold = (name) => {
    const v = r[name] && r[name].value;
    if (!Number.isInteger(v) || v < 0) fail(`contentPool.richness.${name}.value must be a non-negative integer`);
    return v;
  };
  return Object.freeze({
    audioFirstBands: Object.freeze([...audioBands]),
    richness: Object.freeze({
      minItemsPerBand: threshold('minItemsPerBand'),
      minItemsPerCategory: threshold('minItemsPerCategory'),
      minCategoriesPerBand: threshold('minCategoriesPerBand'),
    }),
  });
}

/** reporting.categories: per category the triage and resolution deadlines (hours) and whether to notify the authority. */
function reportingOf(reporting, fail) {
  if (reporting === undefined || reporting === null) return null;
  const categories = {};
  for (const [name, c] of Object.entries(reporting.categories || {})) {
    const triage = c.triageHours && c.triageHours.value;
    const resolve = c.resolveHours && c.resolveHours.value;
    if (!positiveInt(triage) || !positiveInt(resolve)) fail(`reporting.categories.${name}: triageHours and resolveHours must be positive integers`);
    categories[name] = Object.freeze({
      triageHours: triage,
      resolveHours: resolve,
      escalate: !!(c.escalateToAuthority && c.escalateToAuthority.value === true),
    });
  }
  return Object.freeze({ categories: Object.freeze(categories) });
}

function minutesOf(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

const formatters = new Map();
function formatterFor(zone) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Wall-clock fields of an instant (ms since epoch) in the zone. */
function toLocal(ms, zone) {
  const parts = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const local = {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
  local.date = `${parts.year}-${parts.month}-${parts.day}`;
  local.text = `${local.date}T${parts.hour}:${parts.minute}:${parts.second}`;
  local.secondOfDay = local.hour * 3600 + local.minute * 60 + local.second;
  return local;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** The instant of a wall-clock time "yyyy-MM-ddTHH:mm:ss" in the zone, or null if malformed. */
function fromLocal(text, zone) {
  const m = LOCAL.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // Guess with the offset at the naive instant, then correct once with the offset at the guess (enough for DST zones).
  let instant = asUtc - offsetMs(asUtc, zone);
  instant = asUtc - offsetMs(instant, zone);
  return instant;
}

function offsetMs(ms, zone) {
  const l = toLocal(ms, zone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(ms / 1000) * 1000;
}

/** True when the local second-of-day falls in the curfew, start inclusive, end exclusive; it may wrap midnight. */
/** Inside [start, end) in minutes of the day (wrapping past midnight when start > end); a kid's own curfew overrides the pack's. */
function inCurfew(pack, secondOfDay, own) {
  const start = (own ? own.start : pack.curfewStart) * 60;
  const end = (own ? own.end : pack.curfewEnd) * 60;
  if (start === end) return false;
  return start < end ? secondOfDay >= start && secondOfDay < end : secondOfDay >= start || secondOfDay < end;
}

/** Whole years between a birth date and a local date, both "yyyy-MM-dd". */
function ageOn(birthDate, localDate) {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = localDate.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/** The band whose half-open [fromAge, toAge) holds the age; unknown age gets the most protective band. */
function bandFor(pack, age) {
  if (age === null || age === undefined) {
    return pack.bands.reduce((a, b) => (b.dailyMinutes < a.dailyMinutes ? b : a));
  }
  return pack.bands.find((b) => age >= b.fromAge && age < b.toAge) || null;
}

/** True when every minute of the inner window also lies in the outer one (minutes of the day). */
function covers(outer, inner) {
  const inside = (w, m) => (w.start <= w.end ? m >= w.start && m < w.end : m >= w.start || m < w.end);
  for (let m = 0; m < 24 * 60; m++) if (inside(inner, m) && !inside(outer, m)) return false;
  return true;
}

module.exports = { loadRulePack, RulePackError, toLocal, fromLocal, inCurfew, ageOn, bandFor, covers, minutesOf };
