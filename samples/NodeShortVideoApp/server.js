'use strict';
// A sample short-video backend in plain Node.js (standard library only), NOT built on the TeenMode SDK.
// Its API is its own (/api/v2/kids/...); teenmode-profile.json tells the harness how to drive it.
//
//   node server.js [--port 0] [--rules FILE] [--content FILE] [--inventory FILE] [--exit-with-stdin]
//
// Conformance mode (synthetic kids, a virtual clock, test content under /__conformance) is on only when
// TEENMODE_CONFORMANCE_KEY is set; it needs >= 32 bytes (UTF-8) and never runs with NODE_ENV=production.

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const rules = require('./lib/rules');
const { hashPin, verifyPin } = require('./lib/pin');
const { loadInventory, createLog } = require('./lib/privacy');
const { registerPersonalInfo } = require('./lib/personal-info');

const MIN_KEY_BYTES = 32;
const MAX_BODY_BYTES = 64 * 1024;
const SECRET_HEADER = 'x-conformance-secret';
// App choices, not regulatory numbers: how long a pause ends "continuous use", and PIN brute-force limits.
const USE_BREAK_SECONDS = 10 * 60;
const MAX_PIN_FAILURES = 5;
const PIN_LOCK_SECONDS = 15 * 60;
// How long a guardian invite code works: the app's own choice (no regulation sets it).
const INVITE_SECONDS = 10 * 60;
// How many log lines conformance mode keeps in memory for the harness to count.
const KEPT_LOG_LINES = 2000;

const REPORTER_KINDS = ['minor', 'guardian', 'other-user', 'anonymous'];
const CATEGORIES = ['harmful-content', 'bullying', 'sexual-exploitation', 'fraud', 'privacy-leak', 'addictive-design', 'other'];
const TARGET_KINDS = ['content', 'user'];
// Content vocabulary (labels a reviewer puts on a video). These name kinds of content, not regulatory numbers.
const KINDS = ['video', 'audio', 'article'];
const TAGS = ['advertisement', 'external-link', 'fan-fundraising', 'vote-ranking', 'traffic-manipulation', 'allow-listed'];
const FORBIDDEN_TOPIC_TAGS = ['fan-fundraising', 'vote-ranking', 'traffic-manipulation'];
const SLOTS = ['home-first-screen', 'popup', 'hot-list'];
// Complaint handling: what moderators may do, and what a bullied kid is offered. App choices, not regulatory numbers.
const MEASURES = ['take-down-content', 'block-user', 'restrict-user', 'unlink-contact', 'preserve-evidence'];
const SAFETY_OPTIONS = { bullying: ['block-strangers', 'limit-visibility', 'disable-messages'] };
const MAX_PROOF = 20;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const WHY = {
  'allowed': ['允许使用', 'allowed'],
  'teen-mode-off': ['未开启青少年模式', 'teen mode is off'],
  'curfew': ['22:00 至次日 06:00 不提供服务', 'no service during the night-time curfew'],
  'daily-limit-reached': ['今日使用时长已用完', 'today\'s screen time is used up'],
  'rest-reminder': ['已连续使用较长时间，请休息一下', 'time for a break'],
  'content-not-in-pool': ['该内容不在青少年内容池中', 'this item is not in the teen-mode pool'],
  'content-not-suitable-for-band': ['该内容不适合此年龄段', 'this item is not suited to the age band'],
  'forbidden-topic': ['该内容涉及未成年人禁止的话题（应援集资、投票打榜、流量造假等）', 'this item is about a topic kept from minors (fan fundraising, vote ranking, traffic manipulation)'],
  'advertisement-blocked': ['青少年模式不展示未经审核的广告', 'no unreviewed advertising in teen mode'],
  'external-link-blocked': ['青少年模式不提供未经审核的外部链接', 'no unreviewed external links in teen mode'],
  'may-affect-minors-notice': ['该内容可能影响未成年人身心健康，请先阅读提示', 'this item may affect minors: show the notice first'],
  'prominent-placement-forbidden': ['该内容不得在首屏、弹窗或热搜等显著位置展示', 'this item may not go on the first screen, in a pop-up or on the hot list'],
  'guardian-verification-required': ['需要监护人验证', 'guardian verification required'],
  'guardian-verification-failed': ['监护人验证失败', 'guardian verification failed'],
  'guardian-locked-out': ['验证失败次数过多，请稍后再试', 'too many failed attempts; try later'],
  'no-guardian-bound': ['尚未绑定监护人', 'no guardian is bound'],
  'guardian-bound': ['监护人已绑定', 'guardian bound'],
  'binding-code-invalid': ['绑定码无效、已使用或已过期', 'the binding code is missing, wrong, used or expired'],
  'setting-out-of-bounds': ['设置超出规则允许的范围，未作更改', 'the setting is outside the rule pack\'s bounds; nothing changed'],
  'feature-disabled': ['青少年模式下该功能已关闭', 'this feature is off in teen mode'],
  'unknown-feature': ['没有这项功能', 'no such feature'],
  'exempt-category': ['该类应用不受时长和时段限制', 'this kind of app is exempt from the time limits'],
  'unknown-kid': ['未知的用户', 'unknown kid'],
  'unknown-video': ['未知的内容', 'unknown video'],
  'unknown-complaint': ['未知的举报', 'unknown complaint'],
  'report-not-visible': ['只有举报人及相关未成年人已绑定的监护人可以查看该举报', 'only the reporter and the kid\'s bound guardian may read this complaint'],
  'report-transition-not-allowed': ['举报当前状态不允许此操作', 'the complaint\'s state does not allow this step'],
  'idempotency-key-required': ['缺少 Idempotency-Key 请求头', 'the Idempotency-Key header is required'],
  'idempotency-key-reused': ['该幂等键已用于不同的举报', 'this idempotency key was used for a different complaint'],
  'invalid-request': ['请求无效', 'invalid request'],
  'conformance-secret-required': ['缺少或错误的一致性测试密钥', 'missing or wrong conformance secret'],
  'not-found': ['未找到', 'not found'],
  'consent-required': ['不满十四周岁，须先取得监护人的单独同意', 'under 14: a guardian\'s separate consent is needed first'],
  'consent-refused': ['监护人已拒绝该用途，不收集相关信息', 'the guardian refused this purpose; nothing is collected for it'],
  'consent-withdrawn': ['监护人已撤回对该用途的同意，不再收集相关信息', 'the guardian withdrew consent to this purpose; nothing more is collected for it'],
  'purpose-not-declared': ['该用途未在个人信息清单中声明', 'this purpose is not declared in the data inventory'],
  'field-not-needed-for-purpose': ['该用途不需要此项个人信息', 'this purpose does not need this field'],
  'off-by-default-for-minors': ['该用途对未成年人默认关闭，须监护人开启', 'this purpose is off for minors until a guardian turns it on'],
  'requester-not-verified': ['申请人既不是本人，也不是已绑定的监护人，不予办理', 'the requester is neither the kid nor the bound guardian; the request is refused'],
  'unknown-incident': ['未知的安全事件', 'unknown incident'],
  'incident-step-not-allowed': ['安全事件当前状态不允许此操作', 'the incident\'s state does not allow this step'],
};

function why(code, detail) {
  const [zh, en] = WHY[code] || [code, code];
  return detail ? { code, zh, en, detail } : { code, zh, en };
}

// ---- start-up ------------------------------------------------------------------------------------

function parseArgs(argv) {
  const here = __dirname;
  const opts = {
    port: 8080,
    rules: path.join(here, '..', '..', 'seeds', 'rules', 'cn-cac-2024.json'),
    content: path.join(here, '..', '..', 'seeds', 'content', 'sample-pool.json'),
    inventory: path.join(here, '..', '..', 'seeds', 'inventory', 'short-video-app.json'),
    exitWithStdin: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--rules') opts.rules = argv[++i];
    else if (a === '--content') opts.content = argv[++i];
    else if (a === '--inventory') opts.inventory = argv[++i];
    else if (a === '--exit-with-stdin') opts.exitWithStdin = true;
    else throw new Error(`unknown argument '${a}' / 未知参数`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0..65535 / 端口无效');
  return opts;
}

/** Returns the conformance secret, null when conformance mode is off; throws when it may not run here. */
function conformanceSecret(env) {
  const key = env.TEENMODE_CONFORMANCE_KEY;
  if (key === undefined || key === '') return null;
  if (env.NODE_ENV === 'production') {
    throw new Error('一致性测试模式不能在生产环境运行（NODE_ENV=production）/ conformance mode never runs with NODE_ENV=production');
  }
  // Bytes, not characters, and blank counts as weak: the same rule as the .NET sample and the SDK.
  if (key.trim() === '' || Buffer.byteLength(key, 'utf8') < MIN_KEY_BYTES) {
    throw new Error(`TEENMODE_CONFORMANCE_KEY 至少 ${MIN_KEY_BYTES} 字节 / TEENMODE_CONFORMANCE_KEY needs at least ${MIN_KEY_BYTES} bytes`);
  }
  return crypto.createHash('sha256').update(key, 'utf8').digest();
}

function loadContent(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  return (doc.items || []).map((item) => ({
    videoId: String(item.id),
    caption: String(item.title || ''),
    topic: String(item.category || 'other'),
    audiences: Array.isArray(item.bands) ? item.bands.map(String) : [],
    sensitive: item.mayAffectMinors === true,
    kind: KINDS.includes(item.format) ? item.format : 'video',
    tags: Array.isArray(item.flags) ? item.flags.map(String) : [],
    views: Number.isFinite(item.popularity) && item.popularity >= 0 ? item.popularity : 0,
  }));
}

// ---- state ---------------------------------------------------------------------------------------

function createApp(pack, catalog, secretHash, inventory, log = createLog(secretHash !== null ? KEPT_LOG_LINES : 0)) {
  const clock = { offsetMs: 0, frozenAt: null };
  const now = () => (clock.frozenAt !== null ? clock.frozenAt : Date.now() + clock.offsetMs);
  const kids = new Map();
  const videos = new Map(catalog.map((v) => [v.videoId, v]));
  const complaints = new Map(); // number -> ticket
  const complaintKeys = new Map(); // idempotency key -> { fingerprint, number }
  let complaintSeq = 0;
  // The authority sink. In conformance mode it is an in-memory recorder (idempotency key -> notice payload);
  // otherwise there is none in this sample, and notices stay queued in the outbox.
  const authorityInbox = secretHash !== null ? new Map() : null;

  function kidView(kid) {
    const local = rules.toLocal(now(), pack.timeZone);
    const age = kid.born ? rules.ageOn(kid.born, local.date) : null;
    const band = rules.bandFor(pack, age);
    return {
      kidId: kid.kidId,
      age,
      born: kid.born,
      ageBand: band && { label: band.label, minAge: band.fromAge, maxAgeExclusive: band.toAge, dailyMinutes: band.dailyMinutes },
      teenMode: { on: kid.teen },
      guardian: { bound: kid.guardian !== null },
    };
  }

  function usageToday(kid, localDate) {
    let day = kid.days.get(localDate);
    if (!day) {
      day = { seconds: 0, continuous: 0, lastPingAt: null, seen: new Set() };
      kid.days.set(localDate, day);
    }
    return day;
  }

  /** The time rules, in order: teen mode off, curfew, daily limit, rest reminder. */
  /** Exempt app kinds (calls, filed education apps …) pass the curfew and the daily limit and are not counted. */
  function isExempt(kid, app) {
    return kid.teen && typeof app === 'string' && pack.guardian !== null && pack.guardian.exemptByDefault.includes(app);
  }

  function screenTimeVerdict(kid, app) {
    const t = now();
    const local = rules.toLocal(t, pack.timeZone);
    if (!kid.teen) return verdict(true, 'teen-mode-off');
    const band = rules.bandFor(pack, kid.born ? rules.ageOn(kid.born, local.date) : null);
    const day = usageToday(kid, local.date);
    const limit = kid.limits.dailyMinutes !== null ? kid.limits.dailyMinutes * 60 : band ? band.dailyMinutes * 60 : 0;
    const secondsLeft = Math.max(0, limit - day.seconds);
    if (isExempt(kid, app)) return verdict(true, 'exempt-category', { secondsLeft });
    if (rules.inCurfew(pack, local.secondOfDay, kid.limits.curfew)) return verdict(false, 'curfew', { secondsLeft });
    if (day.seconds >= limit) return verdict(false, 'daily-limit-reached', { secondsLeft: 0 });
    const continuous = day.lastPingAt !== null && (t - day.lastPingAt) / 1000 <= USE_BREAK_SECONDS ? day.continuous : 0;
    if (pack.restReminderMinutes !== null && continuous >= pack.restReminderMinutes * 60) {
      return verdict(true, 'rest-reminder', { secondsLeft, notice: true });
    }
    return verdict(true, 'allowed', { secondsLeft });
  }

  function verdict(permitted, code, extra = {}) {
    const { notice, ...rest } = extra;
    return { permitted, verdict: permitted ? (notice ? 'allow-with-notice' : 'allow') : 'deny', why: why(code), ...rest };
  }

  /** The band label whose pool the kid sees in teen mode, or null in normal mode. */
  function teenBandOf(kid) {
    if (!kid.teen) return null;
    const local = rules.toLocal(now(), pack.timeZone);
    const band = rules.bandFor(pack, kid.born ? rules.ageOn(kid.born, local.date) : null);
    return band ? band.label : '';
  }

  /**
   * May a video be opened. Teen mode (bandLabel set): only the band's pool — labelled for the band, not sensitive,
   * no forbidden topic, no unreviewed ad or external link; the topic rules come before the band label.
   * Normal mode (bandLabel null): everything, a sensitive video behind the may-affect-minors notice.
   */
  function poolVerdict(video, bandLabel) {
    if (bandLabel === null) {
      if (!video) return verdict(false, 'unknown-video');
      return video.sensitive ? verdict(true, 'may-affect-minors-notice', { notice: true }) : verdict(true, 'teen-mode-off');
    }
    if (!video || video.audiences.length === 0) return verdict(false, 'content-not-in-pool');
    if (video.tags.some((t) => FORBIDDEN_TOPIC_TAGS.includes(t))) return verdict(false, 'forbidden-topic');
    if (video.sensitive) return verdict(false, 'content-not-in-pool');
    if (!video.tags.includes('allow-listed')) {
      if (video.tags.includes('advertisement')) return verdict(false, 'advertisement-blocked');
      if (video.tags.includes('external-link')) return verdict(false, 'external-link-blocked');
    }
    if (!video.audiences.includes(bandLabel)) return verdict(false, 'content-not-suitable-for-band');
    return verdict(true, 'allowed');
  }

  function videoVerdict(kid, videoId) {
    return poolVerdict(videos.get(videoId), teenBandOf(kid));
  }

  /** Prominent slots (first screen, pop-up, hot list) never carry a sensitive video, in either mode. */
  function slotVerdict(video, bandLabel) {
    if (video && video.sensitive) return verdict(false, 'prominent-placement-forbidden');
    const open = poolVerdict(video, bandLabel);
    return open.permitted ? verdict(true, 'allowed') : open;
  }

  function videoOut(video, bandLabel) {
    const open = poolVerdict(video, bandLabel);
    return { ...video, notice: open.verdict === 'allow-with-notice' ? open.why.code : null };
  }

  /** Checks a PIN against the bound guardian, with a lock after repeated failures. Returns a reason code or null. */
  async function checkGuardianPin(kid, pin) {
    if (kid.guardian === null) return 'no-guardian-bound';
    if (typeof pin !== 'string' || pin === '') return 'guardian-verification-required';
    const g = kid.guardian;
    if (g.lockedUntil !== null && now() < g.lockedUntil) return 'guardian-locked-out';
    if (await verifyPin(pin, g.pin)) {
      g.failures = 0;
      g.lockedUntil = null;
      return null;
    }
    g.failures += 1;
    if (g.failures >= MAX_PIN_FAILURES) {
      g.failures = 0;
      g.lockedUntil = now() + PIN_LOCK_SECONDS * 1000;
    }
    return 'guardian-verification-failed';
  }

  // ---- routes ----------------------------------------------------------------------------------

  const routes = [];
  const route = (method, pattern, handler, opts = {}) => {
    const names = [];
    const re = new RegExp('^' + pattern.replace(/:([a-zA-Z]+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
    routes.push({ method, re, names, handler, conformance: opts.conformance === true });
  };

  // Conformance-only endpoints: mapped only in conformance mode, and every call needs the secret.
  if (secretHash !== null) {
    route('GET', '/__conformance/about', () => [200, {
      app: 'node-short-video',
      sdk: null,
      rules: { id: pack.id, version: pack.version, timeZone: pack.timeZone },
      features: ['subject-setup', 'virtual-clock', 'content-setup', 'guardian', 'reporting', 'report-review', 'authority-sink',
        'guardian-binding', 'guardian-settings', 'app-categories', 'feature-toggles', 'personal-info', 'pi-redaction', 'pi-breach'],
    }], { conformance: true });

    route('POST', '/__conformance/kids', (req, p, body) => {
      const b = body || {};
      const errors = {};
      let born = null;
      if (b.born !== undefined && b.born !== null) {
        if (!isDate(b.born)) errors.born = 'yyyy-MM-dd';
        else born = b.born;
      } else if (b.years !== undefined && b.years !== null) {
        if (!Number.isInteger(b.years) || b.years < 0 || b.years > 17) errors.years = '0..17';
        else born = bornForAge(b.years);
      }
      if (b.teen !== undefined && typeof b.teen !== 'boolean') errors.teen = 'boolean';
      if (Object.keys(errors).length) return invalid(errors);
      const local = rules.toLocal(now(), pack.timeZone);
      if (born !== null) {
        const age = rules.ageOn(born, local.date);
        if (age < 0 || rules.bandFor(pack, age) === null) return invalid({ born: 'must give an age covered by the rule pack\'s bands' });
      }
      const kid = { kidId: 'kid_' + crypto.randomBytes(8).toString('hex'), born, teen: b.teen !== false, guardian: null, days: new Map(),
        invites: new Map(), limits: { dailyMinutes: null, curfew: null } };
      kids.set(kid.kidId, kid);
      return [201, kidView(kid)];
    }, { conformance: true });

    const clockView = () => ({
      utc: new Date(now()).toISOString(),
      wallTime: rules.toLocal(now(), pack.timeZone).text,
      zone: pack.timeZone,
      frozen: clock.frozenAt !== null,
    });
    route('GET', '/__conformance/clock', () => [200, clockView()], { conformance: true });
    route('PUT', '/__conformance/clock', (req, p, body) => {
      const b = body || {};
      let instant = null;
      if (typeof b.wallTime === 'string') instant = rules.fromLocal(b.wallTime, pack.timeZone);
      else if (typeof b.utc === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(b.utc)) instant = Date.parse(b.utc);
      if (instant === null || Number.isNaN(instant)) {
        return invalid({ wallTime: `yyyy-MM-ddTHH:mm:ss in ${pack.timeZone}, or utc as ISO-8601` });
      }
      if (b.frozen !== undefined && typeof b.frozen !== 'boolean') return invalid({ frozen: 'boolean' });
      const frozen = b.frozen !== false; // frozen by default: boundary checks must not drift while they run
      clock.offsetMs = instant - Date.now();
      clock.frozenAt = frozen ? instant : null;
      return [200, clockView()];
    }, { conformance: true });
    route('POST', '/__conformance/clock/skip', (req, p, body) => {
      const secs = body && body.secs;
      if (!Number.isInteger(secs) || secs < 0 || secs > 366 * 24 * 3600) return invalid({ secs: '0..31622400' });
      clock.offsetMs += secs * 1000;
      if (clock.frozenAt !== null) clock.frozenAt += secs * 1000;
      return [200, clockView()];
    }, { conformance: true });

    route('POST', '/__conformance/videos', (req, p, body) => {
      const b = body || {};
      const errors = {};
      const videoId = b.videoId === undefined ? 'vid_' + crypto.randomBytes(8).toString('hex') : b.videoId;
      if (typeof videoId !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(videoId)) errors.videoId = '1-128 of [A-Za-z0-9_.-]';
      const audiences = b.audiences === undefined ? [] : b.audiences;
      if (!Array.isArray(audiences) || !audiences.every((a) => pack.bands.some((band) => band.label === a))) {
        errors.audiences = `array of ${pack.bands.map((band) => band.label).join(', ')}`;
      }
      if (b.sensitive !== undefined && typeof b.sensitive !== 'boolean') errors.sensitive = 'boolean';
      if (b.caption !== undefined && (typeof b.caption !== 'string' || b.caption.length > 200)) errors.caption = 'string up to 200';
      if (b.topic !== undefined && (typeof b.topic !== 'string' || b.topic.length > 32)) errors.topic = 'string up to 32';
      if (b.kind !== undefined && !KINDS.includes(b.kind)) errors.kind = KINDS.join(' | ');
      if (b.tags !== undefined && (!Array.isArray(b.tags) || !b.tags.every((t) => TAGS.includes(t)))) errors.tags = `array of ${TAGS.join(', ')}`;
      if (b.views !== undefined && !(Number.isFinite(b.views) && b.views >= 0)) errors.views = 'non-negative number';
      if (Object.keys(errors).length) return invalid(errors);
      const video = {
        videoId, caption: b.caption || '合成测试视频 / synthetic video', topic: b.topic || 'education', audiences, sensitive: b.sensitive === true,
        kind: b.kind || 'video', tags: [...new Set(b.tags || [])], views: b.views || 0,
      };
      videos.set(videoId, video);
      return [201, { video }];
    }, { conformance: true });
  }

  const withKid = (handler) => (req, p, body, query) => {
    const kid = kids.get(p.kid);
    return kid ? handler(kid, req, p, body, query) : [404, { why: why('unknown-kid') }];
  };

  route('GET', '/api/v2/kids/:kid', withKid((kid) => [200, kidView(kid)]));

  route('POST', '/api/v2/kids/:kid/guardian', withKid(async (kid, req, p, body) => {
    const b = body || {};
    const errors = {};
    if (typeof b.parentId !== 'string' || b.parentId.length < 1 || b.parentId.length > 128) errors.parentId = '1-128 characters';
    if (typeof b.parentPin !== 'string' || !/^\d{6,12}$/.test(b.parentPin)) errors.parentPin = '6-12 digits';
    if (Object.keys(errors).length) return invalid(errors);
    if (kid.guardian !== null) {
      // Replacing a guardian is itself a guardian decision.
      const problem = await checkGuardianPin(kid, b.currentParentPin);
      if (problem) return [403, verdict(false, problem)];
    }
    // The kid's side: an invite code made on the kid's device, usable once; the parent alone cannot bind.
    const expires = typeof b.inviteCode === 'string' ? kid.invites.get(b.inviteCode) : undefined;
    if (expires === undefined) return [403, verdict(false, 'binding-code-invalid')];
    kid.invites.delete(b.inviteCode);
    if (now() >= expires) return [403, verdict(false, 'binding-code-invalid')];
    kid.guardian = { parentId: b.parentId, pin: await hashPin(b.parentPin), failures: 0, lockedUntil: null };
    log.info(`guardian ${b.parentId} bound to ${kid.kidId}`);
    return [201, verdict(true, 'guardian-bound')];
  }));

  route('POST', '/api/v2/kids/:kid/guardian/invites', withKid((kid) => {
    const inviteCode = String(crypto.randomInt(0, 100000000)).padStart(8, '0');
    const expiresAt = now() + INVITE_SECONDS * 1000;
    kid.invites.set(inviteCode, expiresAt);
    return [201, { inviteCode, expiresAt: new Date(expiresAt).toISOString(), why: why('allowed') }];
  }));

  const limitsView = (kid) => {
    const local = rules.toLocal(now(), pack.timeZone);
    const band = rules.bandFor(pack, kid.born ? rules.ageOn(kid.born, local.date) : null);
    return { dailyMinutes: kid.limits.dailyMinutes !== null ? kid.limits.dailyMinutes : band ? band.dailyMinutes : 0, why: why('allowed') };
  };

  route('GET', '/api/v2/kids/:kid/limits', withKid((kid) => [200, limitsView(kid)]));

  // A parent changes the daily limit or the curfew: only with the PIN, and loosening only within the pack's bounds.
  route('PATCH', '/api/v2/kids/:kid/limits', withKid(async (kid, req, p, body) => {
    const b = body || {};
    const errors = {};
    const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (b.dailyMinutes !== undefined && !(Number.isInteger(b.dailyMinutes) && b.dailyMinutes >= 0 && b.dailyMinutes <= 1440)) errors.dailyMinutes = '0..1440';
    if (b.curfew !== undefined && !(b.curfew && hhmm.test(b.curfew.start) && hhmm.test(b.curfew.end))) errors.curfew = '{start, end} as HH:mm';
    if (Object.keys(errors).length) return invalid(errors);
    const local = rules.toLocal(now(), pack.timeZone);
    const band = rules.bandFor(pack, kid.born ? rules.ageOn(kid.born, local.date) : null);
    const bounds = band && band.bounds;
    const curfew = b.curfew === undefined ? undefined : { start: rules.minutesOf(b.curfew.start), end: rules.minutesOf(b.curfew.end) };
    if (bounds === null || bounds === undefined
      || (b.dailyMinutes !== undefined && b.dailyMinutes > bounds.maxDailyMinutes)
      || (curfew !== undefined && !rules.covers(curfew, { start: bounds.minCurfewStart, end: bounds.minCurfewEnd }))) {
      return [422, verdict(false, 'setting-out-of-bounds')];
    }
    const problem = await checkGuardianPin(kid, b.parentPin);
    if (problem) return [problem === 'guardian-locked-out' ? 429 : 403, verdict(false, problem)];
    if (b.dailyMinutes !== undefined) kid.limits.dailyMinutes = b.dailyMinutes;
    if (curfew !== undefined) kid.limits.curfew = curfew;
    return [200, limitsView(kid)];
  }));

  // Feature defaults in teen mode come from the rule pack (stranger DMs and live tipping off).
  route('GET', '/api/v2/kids/:kid/features/:feature', withKid((kid, req, p) => {
    const rule = pack.guardian !== null ? pack.guardian.features[p.feature] : undefined;
    if (rule === undefined) return [404, { why: why('unknown-feature') }];
    if (!kid.teen) return [200, verdict(true, 'teen-mode-off')];
    return [200, rule.teenModeDefault ? verdict(true, 'allowed') : verdict(false, 'feature-disabled')];
  }));

  // One endpoint turns teen mode on or off; turning it off needs the guardian's PIN.
  route('PUT', '/api/v2/kids/:kid/teen-mode', withKid(async (kid, req, p, body) => {
    const b = body || {};
    if (typeof b.on !== 'boolean') return invalid({ on: 'boolean' });
    if (b.on) {
      kid.teen = true;
      return [200, verdict(true, 'allowed')];
    }
    const problem = await checkGuardianPin(kid, b.parentPin);
    if (problem) return [403, verdict(false, problem)];
    kid.teen = false;
    return [200, verdict(true, 'teen-mode-off')];
  }));

  route('POST', '/api/v2/kids/:kid/screen-time/pings', withKid((kid, req, p, body) => {
    const b = body || {};
    const errors = {};
    if (typeof b.device !== 'string' || b.device.length < 1 || b.device.length > 128) errors.device = '1-128 characters';
    if (!Number.isInteger(b.seq) || b.seq < 0) errors.seq = 'non-negative integer';
    if (!Number.isInteger(b.secs) || b.secs < 0 || b.secs > 3600) errors.secs = '0..3600';
    if (b.app !== undefined && (pack.guardian === null || !pack.guardian.appCategories.includes(b.app))) errors.app = 'one of the rule pack\'s appCategories';
    if (Object.keys(errors).length) return invalid(errors);
    const t = now();
    const local = rules.toLocal(t, pack.timeZone);
    const day = usageToday(kid, local.date);
    const key = `${b.device}\u0000${b.seq}`;
    // A retried ping (same device and sequence) is counted once; exempt use is not counted toward the limit.
    if (!day.seen.has(key)) {
      day.seen.add(key);
      if (!isExempt(kid, b.app)) {
        if (day.lastPingAt === null || (t - day.lastPingAt) / 1000 > USE_BREAK_SECONDS) day.continuous = 0;
        day.seconds += b.secs;
        day.continuous += b.secs;
        day.lastPingAt = t;
      }
    }
    return [200, screenTimeVerdict(kid, b.app)];
  }));

  route('GET', '/api/v2/kids/:kid/screen-time', withKid((kid, req, p, body, query) => [200, screenTimeVerdict(kid, query.get('app') || undefined)]));

  route('GET', '/api/v2/kids/:kid/videos/:video/access', withKid((kid, req, p) => [200, videoVerdict(kid, p.video)]));

  // The feed, or a search with ?search= (caption contains, case-insensitive); ?topic= narrows to one topic.
  // It lists what the kid may open; whether the kid may watch right now is the screen-time verdict, asked by the player.
  route('GET', '/api/v2/kids/:kid/feed', withKid((kid, req, p, body, query) => {
    const after = Number(query.get('after') || 0);
    const max = Number(query.get('max') || 20);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(max) || max < 1 || max > 50) {
      return invalid({ after: 'non-negative integer', max: '1..50' });
    }
    const search = (query.get('search') || '').trim().toLowerCase();
    const topic = query.get('topic') || '';
    const band = teenBandOf(kid);
    const open = (v) => (band !== null || search !== ''
      ? poolVerdict(v, band).permitted
      // The normal-mode home feed is a prominent slot: sensitive videos are reached by search or link only.
      : slotVerdict(v, null).permitted);
    let all = [...videos.values()].filter((v) => (topic === '' || v.topic === topic)
      && (search === '' || v.caption.toLowerCase().includes(search)) && open(v));
    if (band !== null && pack.contentPool !== null && pack.contentPool.audioFirstBands.includes(band)) {
      // Bands the rule pack marks audio-first list audio before everything else (stable: catalog order within each).
      all = [...all.filter((v) => v.kind === 'audio'), ...all.filter((v) => v.kind !== 'audio')];
    }
    const page = all.slice(after, after + max).map((v) => videoOut(v, band));
    return [200, { videos: page, next: after + max < all.length ? String(after + max) : null, why: why('allowed') }];
  }));

  // Trending: most viewed first (ties by id); never a sensitive video; in teen mode only the band's pool.
  route('GET', '/api/v2/kids/:kid/trending', withKid((kid, req, p, body, query) => {
    const max = Number(query.get('max') || 20);
    if (!Number.isInteger(max) || max < 1 || max > 50) return invalid({ max: '1..50' });
    const band = teenBandOf(kid);
    const top = [...videos.values()].filter((v) => slotVerdict(v, band).permitted)
      .sort((a, b) => (b.views - a.views) || (a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : 0))
      .slice(0, max);
    return [200, { videos: top.map((v) => videoOut(v, band)), why: why('allowed') }];
  }));

  route('GET', '/api/v2/kids/:kid/videos/:video/slots/:slot', withKid((kid, req, p) => {
    if (!SLOTS.includes(p.slot)) return invalid({ slot: SLOTS.join(' | ') });
    const video = videos.get(p.video);
    if (!video) return [200, verdict(false, 'content-not-in-pool')];
    return [200, slotVerdict(video, teenBandOf(kid))];
  }));

  // How rich each band's teen-mode pool is, against the rule pack's thresholds. Only videos the band may open count.
  route('GET', '/api/v2/catalog/richness', () => {
    const limits = pack.contentPool && pack.contentPool.richness;
    let catalogSize = 0;
    const perBand = pack.bands.map((band) => ({ label: band.label, count: 0, byTopic: {}, topicsCovered: 0, sparse: false, reasons: [] }));
    for (const video of videos.values()) {
      catalogSize += 1;
      for (const row of perBand) {
        const open = poolVerdict(video, row.label);
        if (open.permitted && open.verdict === 'allow') {
          row.count += 1;
          row.byTopic[video.topic] = (row.byTopic[video.topic] || 0) + 1;
        }
      }
    }
    if (limits) {
      for (const row of perBand) {
        row.topicsCovered = Object.values(row.byTopic).filter((n) => n >= limits.minItemsPerCategory).length;
        if (row.count < limits.minItemsPerBand) {
          row.reasons.push(`可供内容 ${row.count} 条，少于 ${limits.minItemsPerBand} 条 / ${row.count} servable videos, fewer than ${limits.minItemsPerBand}`);
        }
        if (row.topicsCovered < limits.minCategoriesPerBand) {
          row.reasons.push(`达标分类 ${row.topicsCovered} 个，少于 ${limits.minCategoriesPerBand} 个 / ${row.topicsCovered} topics with at least ${limits.minItemsPerCategory} videos, fewer than ${limits.minCategoriesPerBand}`);
        }
        row.sparse = row.reasons.length > 0;
      }
    }
    return [200, {
      rules: pack.id,
      checked: !!limits,
      limits: limits || null,
      sparse: perBand.filter((r) => r.sparse).map((r) => r.label),
      perBand,
      catalogSize,
      at: new Date(now()).toISOString(),
    }];
  });

  const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
  const HOUR_MS = 3600 * 1000;

  /** Deadlines and escalation of a complaint reason, from the rule pack's reporting section. */
  function reportingRules(reason) {
    const c = pack.reporting && pack.reporting.categories[reason];
    return c || { triageHours: null, resolveHours: null, escalate: false };
  }

  /** Late strictly after the triage deadline while still received, or after the resolution deadline while not closed. */
  function isLate(t, at) {
    return (t.state === 'received' && t.triageBy !== null && at > t.triageBy)
      || (t.state !== 'closed' && t.resolveBy !== null && at > t.resolveBy);
  }

  function publicTicket(t) {
    // What the reporter and the kid's guardians see: never the reporter, the free text, the target or who moderated.
    const last = [...t.timeline].reverse().find((e) => e.state === 'actioned' || e.state === 'rejected');
    return {
      number: t.number,
      state: t.state,
      reason: t.reason,
      about: { kind: t.kind },
      filedAt: iso(t.filedAt),
      triageBy: iso(t.triageBy),
      resolveBy: iso(t.resolveBy),
      late: isLate(t, now()),
      timeline: t.timeline.map((e) => ({ state: e.state, at: iso(e.at), why: e.why })),
      measures: t.measures.map((m) => ({ kind: m.kind, at: iso(m.at) })),
      result: last ? last.state : 'pending',
      safetyOptions: SAFETY_OPTIONS[t.reason] || [],
      authority: t.notice === null ? null : { state: t.notice.sent ? 'delivered' : 'queued', deliveredAt: iso(t.notice.sentAt) },
    };
  }

  route('POST', '/api/v2/complaints', (req, p, body) => {
    const token = req.headers['idempotency-key'];
    if (typeof token !== 'string' || token.length < 8 || token.length > 200) {
      return [400, { why: why('idempotency-key-required', '8-200 characters') }];
    }
    const b = body || {};
    const errors = {};
    if (!REPORTER_KINDS.includes(b.from)) errors.from = REPORTER_KINDS.join(' | ');
    if (!CATEGORIES.includes(b.reason)) errors.reason = CATEGORIES.join(' | ');
    const about = b.about || {};
    if (!TARGET_KINDS.includes(about.kind)) errors['about.kind'] = TARGET_KINDS.join(' | ');
    if (typeof about.ref !== 'string' || about.ref.length < 1 || about.ref.length > 128) errors['about.ref'] = '1-128 characters';
    if (b.reporter !== undefined && (typeof b.reporter !== 'string' || b.reporter.length < 1 || b.reporter.length > 128)) errors.reporter = '1-128 characters';
    if (b.from === 'anonymous' && b.reporter !== undefined) errors.reporter = 'must be absent for an anonymous complaint';
    if (b.details !== undefined && (typeof b.details !== 'string' || b.details.length > 2000)) errors.details = 'up to 2000 characters';
    if (b.kid !== undefined && (typeof b.kid !== 'string' || b.kid.length < 1 || b.kid.length > 128)) errors.kid = '1-128 characters';
    if (b.proof !== undefined && (!Array.isArray(b.proof) || b.proof.length > MAX_PROOF
      || !b.proof.every((r) => typeof r === 'string' && r.length >= 1 && r.length <= 256))) {
      errors.proof = `up to ${MAX_PROOF} references of 1-256 characters`;
    }
    if (Object.keys(errors).length) return invalid(errors);
    const fields = {
      from: b.from, reporter: b.reporter || null, reason: b.reason, kind: about.kind, ref: about.ref,
      details: b.details || null, kidId: b.kid || null, proof: b.proof || [],
    };
    const fingerprint = crypto.createHash('sha256').update(JSON.stringify(fields)).digest('hex');
    const earlier = complaintKeys.get(token);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) return [409, { why: why('idempotency-key-reused') }];
      return [200, { ticket: publicTicket(complaints.get(earlier.number)) }, { 'Idempotent-Replayed': 'true' }];
    }
    if (fields.kidId !== null && !kids.has(fields.kidId)) return [422, { why: why('unknown-kid') }];
    const filedAt = now();
    const r = reportingRules(fields.reason);
    const number = 'C-' + crypto.randomBytes(6).toString('hex').toUpperCase();
    // Stored, with its authority notice when the pack escalates the reason, before the receipt is returned.
    const ticket = {
      number, seq: ++complaintSeq, state: 'received', filedAt, ...fields,
      triageBy: r.triageHours === null ? null : filedAt + r.triageHours * HOUR_MS,
      resolveBy: r.resolveHours === null ? null : filedAt + r.resolveHours * HOUR_MS,
      timeline: [], measures: [],
      notice: r.escalate ? {
        noticeId: 'N-' + crypto.randomBytes(6).toString('hex').toUpperCase(),
        key: `node-short-video-notice-${number}`, attempts: 0, sent: false, sentAt: null, nextTryAt: filedAt,
      } : null,
    };
    complaints.set(ticket.number, ticket);
    complaintKeys.set(token, { fingerprint, number: ticket.number });
    return [201, { ticket: publicTicket(ticket) }];
  });

  // A complaint filed under a reporter's id is for that reporter (?reader=) and the kid's bound guardian only; an
  // anonymous one has nobody to compare, so its number is the credential. The reader is who the app's sign-in says is asking.
  route('GET', '/api/v2/complaints/:number', (req, p, body, query) => {
    const ticket = complaints.get(p.number);
    if (!ticket) return [404, { why: why('unknown-complaint') }];
    if (ticket.reporter !== null) {
      const reader = query.get('reader') || '';
      const kid = ticket.kidId !== null ? kids.get(ticket.kidId) : undefined;
      const guardian = kid && kid.guardian !== null ? kid.guardian.parentId : null;
      if (reader === '' || (reader !== ticket.reporter && reader !== guardian)) return [403, { why: why('report-not-visible') }];
    }
    return [200, { ticket: publicTicket(ticket) }];
  });

  // For the kid's guardians: the complaints naming this kid (as reporter or victim), newest first.
  route('GET', '/api/v2/kids/:kid/complaints', withKid((kid) => {
    const mine = [...complaints.values()].filter((t) => t.kidId === kid.kidId)
      .sort((a, b) => (b.filedAt - a.filedAt) || (b.seq - a.seq));
    return [200, { total: mine.length, tickets: mine.map(publicTicket) }];
  }));

  /** One moderation step: received → triaged → actioned | rejected → closed. Returns [status, payload]. */
  function moderate(number, step, moderator, input) {
    const t = complaints.get(number);
    if (!t) return [404, { why: why('unknown-complaint') }];
    const b = input || {};
    let to;
    let measures = [];
    let note = null;
    if (step === 'triage') {
      if (t.state !== 'received') return [409, verdict(false, 'report-transition-not-allowed')];
      to = 'triaged';
    } else if (step === 'action') {
      const list = b.measures;
      if (!Array.isArray(list) || list.length < 1 || list.length > 10
        || !list.every((m) => m && MEASURES.includes(m.kind) && typeof m.targetId === 'string' && m.targetId.length >= 1 && m.targetId.length <= 128)) {
        return invalid({ measures: `1-10 of { kind: ${MEASURES.join(' | ')}, targetId }` });
      }
      if (t.state !== 'triaged') return [409, verdict(false, 'report-transition-not-allowed')];
      to = 'actioned';
      measures = list.map((m) => ({ kind: m.kind, ref: m.targetId }));
    } else if (step === 'reject') {
      if (typeof b.note !== 'string' || b.note.length > 64 || !KEBAB.test(b.note)) return invalid({ note: 'a kebab-case code such as no-violation' });
      if (t.state !== 'triaged') return [409, verdict(false, 'report-transition-not-allowed')];
      to = 'rejected';
      note = b.note;
    } else if (step === 'close') {
      if (t.state !== 'actioned' && t.state !== 'rejected') return [409, verdict(false, 'report-transition-not-allowed')];
      to = 'closed';
    } else {
      return invalid({ step: 'triage | action | reject | close' });
    }
    const at = now();
    t.state = to;
    t.timeline.push({ state: to, at, why: note, by: moderator });
    for (const m of measures) t.measures.push({ ...m, at, by: moderator });
    return [200, verdict(true, 'allowed')];
  }

  const lateTickets = (number) => [...complaints.values()]
    .filter((t) => (number === '' || t.number === number) && isLate(t, now()))
    .sort((a, b) => (a.filedAt - b.filedAt) || (a.seq - b.seq));

  /** Sends due, undelivered authority notices to the sink (at least once; the sink de-duplicates on the key). */
  function flushAuthorityNotices() {
    const at = now();
    const due = [...complaints.values()].filter((t) => t.notice !== null && !t.notice.sent && t.notice.nextTryAt <= at);
    let sent = 0;
    for (const t of due) {
      t.notice.attempts += 1;
      // The notice names the complaint, never the reporter or the free text.
      authorityInbox.set(t.notice.key, {
        type: 'node-short-video.authority-notice', noticeId: t.notice.noticeId, number: t.number, reason: t.reason,
        about: { kind: t.kind, ref: t.ref }, kidId: t.kidId, filedAt: iso(t.filedAt), proof: t.proof,
      });
      t.notice.sent = true;
      t.notice.sentAt = at;
      sent += 1;
    }
    return { pending: due.length, sent, failed: due.length - sent };
  }

  if (secretHash !== null) {
    // The harness acts as a moderator here ('conformance-moderator').
    route('POST', '/__conformance/complaints/:number/moderate', (req, p, body) => {
      const b = body || {};
      return moderate(p.number, b.step, 'conformance-moderator', b);
    }, { conformance: true });
    route('GET', '/__conformance/complaints/late', (req, p, body, query) => {
      const late = lateTickets(query.get('number') || '');
      return [200, { total: late.length, numbers: late.map((t) => t.number) }];
    }, { conformance: true });
    route('POST', '/__conformance/authority/flush', () => [200, flushAuthorityNotices()], { conformance: true });
    route('GET', '/__conformance/authority/inbox', (req, p, body, query) => {
      const number = query.get('number') || '';
      const keys = [...authorityInbox.entries()].filter(([, n]) => number === '' || n.number === number).map(([k]) => k);
      return [200, { total: keys.length, keys }];
    }, { conformance: true });
  }

  registerPersonalInfo({ route, withKid, kids, pack, inventory, now, why, verdict, invalid, log, conformance: secretHash !== null });

  if (secretHash !== null) {
    // Logs text the way the app logs a request it handles; the search answers counts only, never the lines.
    route('POST', '/__conformance/logs/probe', (req, p, body) => {
      const text = body && body.text;
      if (typeof text !== 'string' || text.length < 1 || text.length > 2000) return invalid({ text: '1-2000 characters' });
      log.info(`handling request: ${text}`);
      return [200, { logged: true }];
    }, { conformance: true });
    route('GET', '/__conformance/logs', (req, p, body, query) => {
      const hits = log.count(query.get('contains') || '');
      return [200, { lines: log.size, hits, found: hits > 0 }];
    }, { conformance: true });
  }

  function bornForAge(years) {
    // Half a year past the birthday, so the age holds for the next 180 days of the (virtual) clock.
    const local = rules.toLocal(now(), pack.timeZone);
    const d = new Date(Date.UTC(local.year - years, local.month - 1, local.day));
    d.setUTCDate(d.getUTCDate() - 180);
    return d.toISOString().slice(0, 10);
  }

  function secretOk(req) {
    const given = req.headers[SECRET_HEADER];
    if (typeof given !== 'string') return false;
    // Compare digests: equal lengths for timingSafeEqual, and no early exit on the key's length.
    return crypto.timingSafeEqual(crypto.createHash('sha256').update(given, 'utf8').digest(), secretHash);
  }

  function findRoute(method, pathname) {
    for (const r of routes) {
      const m = r.re.exec(pathname);
      if (m && r.method === method) {
        const params = {};
        r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
        return { r, params };
      }
    }
    return null;
  }

  async function handle(req, res) {
    let url;
    let match = null;
    try {
      url = new URL(req.url, 'http://localhost');
      match = findRoute(req.method, url.pathname);
    } catch {
      return send(res, 400, { why: why('invalid-request', 'bad path encoding') });
    }
    if (!match) return send(res, 404, { why: why('not-found') });
    if (match.r.conformance && !secretOk(req)) {
      return send(res, 401, { why: why('conformance-secret-required', `send the secret in ${SECRET_HEADER}`) });
    }
    let body = null;
    if (req.method !== 'GET') {
      const read = await readJson(req);
      if (read.error) return send(res, read.status, { why: why('invalid-request', read.error) });
      body = read.value;
    }
    const [status, payload, headers] = await match.r.handler(req, match.params, body, url.searchParams);
    return send(res, status, payload, headers);
  }

  return { handle, now, log };
}

function invalid(errors) {
  return [400, { why: why('invalid-request'), errors }];
}

function isDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z'))
    && new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) === s;
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES && !done) {
        done = true;
        resolve({ status: 413, error: `body larger than ${MAX_BODY_BYTES} bytes` });
        req.resume();
        return;
      }
      if (!done) chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ value: null });
      try {
        const value = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return resolve({ status: 400, error: 'body must be a JSON object' });
        resolve({ value });
      } catch {
        resolve({ status: 400, error: 'body is not valid JSON' });
      }
    });
    req.on('error', () => { if (!done) { done = true; resolve({ status: 400, error: 'request aborted' }); } });
  });
}

function send(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function main() {
  let opts;
  let secretHash;
  let pack;
  let catalog;
  let inventory;
  try {
    opts = parseArgs(process.argv.slice(2));
    secretHash = conformanceSecret(process.env);
    pack = rules.loadRulePack(opts.rules);
    catalog = loadContent(opts.content);
    inventory = loadInventory(opts.inventory);
  } catch (err) {
    process.stderr.write(`node-short-video: ${err.message}\n`);
    process.exit(2);
  }
  const app = createApp(pack, catalog, secretHash, inventory);
  const server = http.createServer((req, res) => {
    app.handle(req, res).catch((err) => {
      // Log the failure kind only: request bodies may hold PINs or personal data.
      app.log.info(`internal error on ${req.method} request: ${err && err.name}`);
      if (!res.headersSent) send(res, 500, { why: why('invalid-request', 'internal error') });
      else res.destroy();
    });
  });
  server.listen(opts.port, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(`listening http://127.0.0.1:${port}\n`);
    process.stdout.write(`rule pack ${pack.id} ${pack.version} (${pack.timeZone}); conformance mode ${secretHash ? 'ON' : 'off'}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (opts.exitWithStdin) {
    // Lets a test harness that dies without cleaning up take this process with it.
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
}

if (require.main === module) main();

module.exports = { createApp, conformanceSecret, loadContent };
