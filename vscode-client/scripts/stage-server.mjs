// Copies an aspm-ls binary into server/<platform>-<arch>/ so `vsce package --target <same>`
// produces a platform-specific .vsix that works without aspm-ls on PATH. The extension looks
// there before PATH (src/pure/serverPath.ts).
//
// Usage: node scripts/stage-server.mjs ../build/bin/aspm-ls [platform-arch]
import fs from 'node:fs';
import path from 'node:path';

const [source, target = `${process.platform}-${process.arch}`] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/stage-server.mjs <aspm-ls> [platform-arch]');
  process.exit(2);
}
if (!fs.statSync(source, { throwIfNoEntry: false })?.isFile()) {
  console.error(`stage-server: ${source} is not a file`);
  process.exit(1);
}
const exe = target.startsWith('win32-') ? 'aspm-ls.exe' : 'aspm-ls';
const dir = path.join('server', target);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(source, path.join(dir, exe));
fs.chmodSync(path.join(dir, exe), 0o755);
console.log(`staged ${source} as ${path.join(dir, exe)}; now: npx vsce package --no-dependencies --target ${target}`);
