'use strict';
// Personal-information plumbing of the sample: the data inventory (seeds/inventory/*.json) and a log that masks
// identity numbers, phone numbers and PINs before a line is written anywhere.

const fs = require('node:fs');

const SENSITIVE_CATEGORIES = ['sensitive', 'precise-location', 'biometric', 'identity-number', 'financial', 'health'];
const CATEGORIES = ['basic', 'contact', ...SENSITIVE_CATEGORIES];
const DAY_MS = 24 * 3600 * 1000;

/** The fields the app may collect and the purposes that need them; throws on a malformed file. */
function loadInventory(file) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read data inventory / 无法读取个人信息清单: ${err.message}`);
  }
  const fail = (what) => { throw new Error(`${file}: ${what}`); };
  if (typeof doc.id !== 'string' || !Array.isArray(doc.fields) || !Array.isArray(doc.purposes)) fail('id, fields and purposes are required / 清单缺少 id、fields 或 purposes');
  const fields = new Map();
  for (const f of doc.fields) {
    if (typeof f.name !== 'string' || !CATEGORIES.includes(f.category)) fail(`field '${f.name}': category must be ${CATEGORIES.join(' | ')}`);
    fields.set(f.name, Object.freeze({ name: f.name, category: f.category, sensitive: SENSITIVE_CATEGORIES.includes(f.category) }));
  }
  const purposes = new Map();
  for (const p of doc.purposes) {
    if (typeof p.id !== 'string' || !Array.isArray(p.fields) || !p.fields.every((n) => fields.has(n))) fail(`purpose '${p.id}': fields must name declared fields`);
    if (!Number.isInteger(p.retentionDays) || p.retentionDays < 1) fail(`purpose '${p.id}': retentionDays must be a positive integer`);
    purposes.set(p.id, Object.freeze({
      id: p.id, fields: Object.freeze([...p.fields]), essential: p.essential === true,
      offByDefaultForMinors: p.offByDefaultForMinors === true, retentionMs: p.retentionDays * DAY_MS,
    }));
  }
  return Object.freeze({ id: doc.id, version: String(doc.version || ''), fields, purposes });
}

// Mainland identity numbers (18 characters, or the old 15 digits) and mobile numbers, not inside longer digit runs.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
// A secret after its name: pin=123456, "parentPin": "123456", password: x, code=….
const SECRET = /((?:pin|password|passcode|secret|invitecode|code)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;

/** The text with identity numbers, phone numbers and PINs masked. */
function redact(text) {
  return String(text).replace(SECRET, '$1***').replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

/**
 * The app's log: every line is masked first, then written to stderr. In conformance mode the last lines are also
 * kept in memory so the harness can count (never read) what reached the log.
 */
function createLog(keepLines, write = (line) => process.stderr.write(line + '\n')) {
  const kept = [];
  return {
    info(text) {
      const line = `node-short-video: ${redact(text)}`;
      write(line);
      if (keepLines > 0) {
        kept.push(line);
        if (kept.length > keepLines) kept.shift();
      }
    },
    /** How many kept lines hold the value; 0 for an empty value. */
    count(value) {
      return typeof value === 'string' && value !== '' ? kept.filter((l) => l.includes(value)).length : 0;
    },
    get size() { return kept.length; },
  };
}

module.exports = { loadInventory, redact, createLog };
