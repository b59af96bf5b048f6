'use strict';
// The single executable's main script (scripts/package.mjs): it runs the embedded bundle (the
// asset `layerscope.cjs`, which the exporter's service thread also runs) through vm.Script with
// a V8 code cache. The first run uses the cache made at build time (the asset `layerscope.v8`:
// the top-level code only, what Node's own SEA code cache held); on the way out it saves one
// that also holds every function that ran (~/.cache/layerscope, one per command, as dist/'s
// bundles do), which the next runs of that command use: its modules are no longer parsed and
// compiled at each start.
const {getAsset} = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** Replaced at build time: the bundle's content hash and Node's version, which name the cache file. */
const key = '__LAYERSCOPE_SEA_KEY__';
const source = getAsset('layerscope.cjs', 'utf8');
const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'layerscope');
// One cache per command: each holds the functions its command ran (image, report, the console...).
const command = /^[a-z]{1,16}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'console';
const file = path.join(dir, `sea-${key}-${command}.v8`);
let cachedData;
let saved = false;
try {
	cachedData = fs.readFileSync(file);
	saved = true;
} catch {
	cachedData = Buffer.from(getAsset('layerscope.v8'));
}
/**
 * mkdir -p with a bound, as cli/console-bundle.ts's: Node's recursive mkdir loops forever where
 * a parent exists but refuses children with ENOENT (XDG_CACHE_HOME=/proc/none does that).
 */
function makeDirs(target) {
	const missing = [];
	for (let at = target; missing.length < 8; at = path.dirname(at)) {
		try {
			if (fs.statSync(at).isDirectory()) break;
			throw new Error(`${at} is not a directory`);
		} catch (error) {
			if (error.code !== 'ENOENT' || at === path.dirname(at)) throw error;
			missing.unshift(at);
		}
	}
	for (const at of missing) fs.mkdirSync(at);
}

const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: '/layerscope-single-executable/layerscope.cjs', cachedData});
if (!saved || script.cachedDataRejected) {
	process.once('exit', () => {
		try {
			makeDirs(dir);
			// Older executables' caches are dead weight.
			for (const name of fs.readdirSync(dir)) if (name.startsWith('sea-') && name.endsWith('.v8') && !name.startsWith(`sea-${key}-`)) fs.unlinkSync(path.join(dir, name));
			const temporary = `${file}.${process.pid}.tmp`;
			fs.writeFileSync(temporary, script.createCachedData());
			fs.renameSync(temporary, file);
		} catch {
			// a read-only or missing home (the DaemonSet's root filesystem): no cache, the next start compiles again
		}
	});
}
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
