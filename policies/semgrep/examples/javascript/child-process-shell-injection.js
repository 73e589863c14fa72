const cp = require('node:child_process');

function unpack(name) {
  // ruleid: gantry.js.child-process-shell-injection
  cp.execSync(`tar xf ${name}`);
  // ruleid: gantry.js.child-process-shell-injection
  cp.exec('rm -rf ' + name, () => {});
  // ok: gantry.js.child-process-shell-injection
  cp.execFileSync('tar', ['xf', name]);
  // ok: gantry.js.child-process-shell-injection
  cp.execSync('sync');
}

module.exports = { unpack };
