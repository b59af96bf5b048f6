#!/usr/bin/env node
// `npm run demo`: start the private lab engines, seed the disk-pressure scenario, and open
// the console on them, starting with the guide. As root on Debian (lab up installs what
// is missing). Extra arguments go to the console, e.g. `npm run demo -- --read-only`.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const dir = process.env.LAYERSCOPE_LAB_DIR || '/tmp/layerscope-lab';
const say = line => process.stderr.write(`demo: ${line}\n`);
const stop = (message, code = 1) => {
	process.stderr.write(`demo: ${message}\n`);
	process.exit(code);
};

if (process.getuid && process.getuid() !== 0) stop('the lab starts its own dockerd and containerd: run as root (sudo npm run demo)');
if (!existsSync(cli)) {
	say('building (dist/cli.js is missing)…');
	const built = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
	if (built.status !== 0) stop('the build failed; see above');
}

function step(what, args) {
	say(`${what}…`);
	const started = Date.now();
	// lab writes its progress lines to stderr ("lab: …"): shown as they come.
	const result = spawnSync(process.execPath, [cli, ...args, '--dir', dir], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});
	if (result.status !== 0) stop(`${what} failed (exit ${result.status}); see above`);
	say(`${what}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

step('starting the private engines (layerscope lab up)', ['lab', 'up']);
step('seeding the disk-pressure scenario (layerscope lab seed)', ['lab', 'seed']);

const env = {...process.env};
for (const line of execFileSync(process.execPath, [cli, 'lab', 'env', '--dir', dir], {encoding: 'utf8'}).split('\n')) {
	const match = /^export (DOCKER_HOST|CONTAINER_RUNTIME_ENDPOINT)=(.*)$/.exec(line.trim());
	if (match) env[match[1]] = match[2];
}
say(`opening the guide on ${env.DOCKER_HOST}; afterwards: node dist/cli.js lab down --dir ${dir} --purge`);
if (!process.stdout.isTTY) stop('the console needs a terminal; the lab is up: eval "$(node dist/cli.js lab env)" && node dist/cli.js report', 2);
// Short sampling interval so growth shows within seconds.
const child = spawn(process.execPath, [cli, 'guide', '--interval', '2', ...process.argv.slice(2)], {cwd: root, env, stdio: 'inherit'});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
