// Plain JavaScript on purpose: it must run, and explain itself, on the Node 20 a machine may have.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `error: Node.js 22 or newer is required, but this is ${process.version} (${process.execPath}).\n` +
    '       Run through npm (`npm run conformance`, `npm test`): after `npm ci` it uses the Node 22 that\n' +
    '       this project installs (devDependency "node"). If `npm ci` ran with --ignore-scripts, run `npm rebuild node`.\n');
  process.exit(2);
}
