const crypto = require('node:crypto');

function fingerprints(data) {
  // ruleid: gantry.js.weak-hash
  const weak = crypto.createHash('md5').update(data).digest('hex');
  // ok: gantry.js.weak-hash
  const strong = crypto.createHash('sha256').update(data).digest('hex');
  return [weak, strong];
}

module.exports = { fingerprints };
