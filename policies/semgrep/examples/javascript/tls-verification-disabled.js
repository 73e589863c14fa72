const https = require('node:https');

function insecureAgent() {
  // ruleid: gantry.js.tls-verification-disabled
  return new https.Agent({ keepAlive: true, rejectUnauthorized: false });
}

function secureAgent(ca) {
  // ok: gantry.js.tls-verification-disabled
  return new https.Agent({ keepAlive: true, ca });
}

module.exports = { insecureAgent, secureAgent };
