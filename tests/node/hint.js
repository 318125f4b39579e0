// Runs @mapbox/geojsonhint 3.2.0 on each file named on the command line:
// prints every message (errors and warnings, e.g. a ring wound against the
// right-hand rule) as FILE: line N: message and exits 1 if there was any.
'use strict';
const fs = require('fs');
const hint = require('@mapbox/geojsonhint').hint;
let bad = 0;
for (const f of process.argv.slice(2)) {
  const issues = hint(fs.readFileSync(f, 'utf8'), { precisionWarning: true });
  for (const i of issues) {
    bad++;
    console.log(`${f}: line ${i.line}: ${i.message}`);
  }
}
process.exit(bad ? 1 : 0);
