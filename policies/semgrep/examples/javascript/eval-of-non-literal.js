function calculate(expression) {
  // ruleid: gantry.js.eval-of-non-literal
  const result = eval(expression);
  // ruleid: gantry.js.eval-of-non-literal
  const fn = new Function('a', expression);
  // ok: gantry.js.eval-of-non-literal
  const constant = eval('1 + 1');
  // ok: gantry.js.eval-of-non-literal
  const parsed = JSON.parse(expression);
  return [result, fn, constant, parsed];
}

module.exports = { calculate };
