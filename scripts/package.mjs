// npm run package: builds release/layerscope-<platform>-<arch>, one executable
// holding the Node runtime, the bundled app and its run-time assets (Node single
// executable application: esbuild bundle -> SEA blob -> postject).
// Everything used here comes from the npm registry or this machine.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Script} from 'node:vm';
import {bundle} from './sea-bundle.mjs';
import {EXECUTABLE, versionString} from './sea-build-info.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const releaseDir = 'release';
const workDir = join(releaseDir, 'sea');
const target = EXECUTABLE;

const mb = bytes => `${(bytes / 1e6).toFixed(1)} MB`;
const run = (file, args) => execFileSync(file, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();

/** Drops the symbol table and debug info of the copied runtime (about 12 MB) when binutils' strip is here. */
function tryStrip(file) {
	try {
		execFileSync('strip', ['--strip-all', file], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/**
 * postject (LIEF) warns once per ELF note it cannot name; Node's binary has hundreds of
 * notes and the warnings are harmless, so only other messages are passed on.
 */
async function injectBlob(file, blob) {
	const {inject} = require('postject');
	const warn = console.warn;
	console.warn = (...args) => {
		if (!/^warning: Can't find string offset for section name '\.note/.test(String(args[0]))) warn(...args);
	};
	try {
		await inject(file, 'NODE_SEA_BLOB', blob, {sentinelFuse: FUSE});
	} finally {
		console.warn = warn;
	}
}

async function main() {
	const started = Date.now();
	const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
	const version = versionString();
	rmSync(workDir, {recursive: true, force: true});
	mkdirSync(workDir, {recursive: true});

	const main = join(workDir, 'layerscope.cjs');
	const bundled = await bundle({outfile: main, pkg: {name: pkg.name, version, description: pkg.description}});

	const blob = join(workDir, 'sea-prep.blob');
	const config = join(workDir, 'sea-config.json');
	// The executable's main script runs the bundle, an asset, through vm.Script with a code cache
	// (scripts/sea-main.cjs): the one made here first, then the one it saves after a run. The
	// exporter's service thread runs the same asset (cli/run-exporter.ts).
	const source = readFileSync(main, 'utf8');
	const key = `${createHash('sha256').update(source).digest('hex').slice(0, 16)}-${process.version}-${process.arch}`;
	const loader = join(workDir, 'sea-main.cjs');
	writeFileSync(loader, readFileSync('scripts/sea-main.cjs', 'utf8').replace('__LAYERSCOPE_SEA_KEY__', key));
	const cache = join(workDir, 'layerscope.v8');
	writeFileSync(cache, new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: '/layerscope-single-executable/layerscope.cjs'}).createCachedData());
	writeFileSync(config, JSON.stringify({main: loader, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets: {'layerscope.cjs': main, 'layerscope.v8': cache}}, null, 2));
	run(process.execPath, ['--experimental-sea-config', config]);

	const partial = `${target}.partial`;
	copyFileSync(process.execPath, partial);
	chmodSync(partial, 0o755);
	const runtimeBytes = statSync(process.execPath).size;
	const stripped = tryStrip(partial);
	const strippedBytes = statSync(partial).size;
	await injectBlob(partial, readFileSync(blob));
	renameSync(partial, target);

	const smoke = run(target, ['--version']);
	if (smoke !== version) throw new Error(`the executable printed "${smoke}" for --version, expected "${version}"`);

	const bytes = statSync(target).size;
	const sha256 = createHash('sha256').update(readFileSync(target)).digest('hex');
	const out = process.stdout;
	out.write(`${target}\n`);
	out.write(`  version   ${version}\n`);
	out.write(`  size      ${bytes} bytes (${mb(bytes)})\n`);
	out.write(`  sha256    ${sha256}\n`);
	out.write(`  runtime   node ${process.version} ${mb(runtimeBytes)}${stripped ? `, ${mb(strippedBytes)} stripped` : ' (strip not found)'}\n`);
	out.write(`  app       ${mb(bundled.bytes)} bundle, ${mb(statSync(blob).size)} SEA blob with code cache\n`);
	out.write(`  built in  ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch(error => {
	process.stderr.write(`package: ${error.message}\n`);
	process.exitCode = 1;
});
