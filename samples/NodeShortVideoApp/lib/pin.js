'use strict';
// Guardian PINs are stored only as salted PBKDF2-HMAC-SHA256 hashes and compared in constant time.

const crypto = require('node:crypto');
const { promisify } = require('node:util');

const pbkdf2 = promisify(crypto.pbkdf2);
const ITERATIONS = 600000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA256
const KEY_BYTES = 32;

async function hashPin(pin) {
  const salt = crypto.randomBytes(16);
  const hash = await pbkdf2(pin, salt, ITERATIONS, KEY_BYTES, 'sha256');
  return { iterations: ITERATIONS, salt, hash };
}

async function verifyPin(pin, stored) {
  const hash = await pbkdf2(pin, stored.salt, stored.iterations, stored.hash.length, 'sha256');
  return crypto.timingSafeEqual(hash, stored.hash);
}

module.exports = { hashPin, verifyPin };
