// What the single executable is built from: its version string and its inputs.
// Shared by scripts/package.mjs and test/integration/sea.test.ts.
import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';

export const EXECUTABLE = join('release', `layerscope-${process.platform}-${process.arch}`);

/** abc1234, or abc1234-dirty when tracked files differ from that commit; LAYERSCOPE_COMMIT overrides. */
export function gitCommit(cwd = process.cwd()) {
	if (process.env.LAYERSCOPE_COMMIT) return process.env.LAYERSCOPE_COMMIT;
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
		try {
			execFileSync('git', ['diff', '--quiet', 'HEAD', '--'], {cwd, stdio: 'ignore'});
			return commit;
		} catch {
			return `${commit}-dirty`;
		}
	} catch {
		return 'unknown-commit';
	}
}

/** "0.1.0 (abc1234)": what `layerscope --version` prints in the executable. */
export function versionString(cwd = process.cwd()) {
	const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
	return `${pkg.version} (${gitCommit(cwd)})`;
}

function newestIn(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, name)));
	return newest;
}

/** Newest modification time among everything that goes into the executable. */
export function newestInput(cwd = process.cwd()) {
	const inputs = ['cli.tsx', 'source', 'scripts', 'package.json', 'package-lock.json'];
	return Math.max(...inputs.map(input => newestIn(join(cwd, input))));
}
