// Plain JavaScript on purpose: it must run, and explain itself, on the Node 20 a machine may have.
// 22.18 is the first 22.x that runs TypeScript (type stripping) without a flag.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error: Node.js 22.18 or newer is required, but this is ${process.version} (${process.execPath}).\n` +
    '       Run through npm (`npm run conformance`, `npm test`): after `npm ci` it uses the Node 22 that\n' +
    '       this project installs (devDependency "node"). If `npm ci` ran with --ignore-scripts, run `npm rebuild node`.\n');
  process.exit(2);
}
