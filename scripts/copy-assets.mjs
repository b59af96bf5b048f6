// Copies run-time assets that tsc does not emit next to the compiled code.
// (Worker threads are bundled by scripts/bundle-workers.mjs.)
import {chmodSync, copyFileSync, existsSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';

const assets = ['source/adapters/cri/runtime-v1.proto'];
for (const asset of assets) {
	if (!existsSync(asset)) continue;
	const target = join('dist', asset);
	mkdirSync(dirname(target), {recursive: true});
	copyFileSync(asset, target);
}
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
