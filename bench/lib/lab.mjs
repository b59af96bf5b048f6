// Starts and stops a private lab engine through the product's own code (dist/).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const dist = path => new URL(`../../dist/${path}`, import.meta.url).href;

export function requireBuild() {
	if (!existsSync(fileURLToPath(dist('cli.js')))) {
		throw new Error('dist/cli.js is missing: build first with `npm run build`');
	}
}

export async function startLab(dir, log) {
	const {labUp} = await import(dist('source/adapters/lab/lab.js'));
	return labUp(dir, line => log(`lab: ${line}`));
}

export async function stopLab(dir) {
	const {labDown} = await import(dist('source/adapters/lab/lab.js'));
	await labDown(dir, {purge: true});
}
