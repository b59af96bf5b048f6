// Bundles each worker-thread entry (source/adapters/fs/workers/*.ts) into one CommonJS script,
// dist/source/adapters/fs/workers/<name>.bundle.cjs, which adapters/fs/worker-script.ts runs as
// an eval'd worker. The single executable embeds the same bundles (scripts/sea-bundle.mjs).
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import * as esbuild from 'esbuild';

export const WORKERS_DIR = 'source/adapters/fs/workers';

/** {path inside the repository as worker-script.ts looks it up: code} for every worker entry. */
export async function bundleWorkers() {
	const out = {};
	for (const file of readdirSync(WORKERS_DIR)
		.filter(f => f.endsWith('.ts'))
		.sort()) {
		const result = await esbuild.build({
			entryPoints: [join(WORKERS_DIR, file)],
			bundle: true,
			write: false,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			minify: true,
			legalComments: 'none',
			logLevel: 'warning',
		});
		out[`${WORKERS_DIR}/${file.replace(/\.ts$/, '.bundle.cjs')}`] = result.outputFiles[0].text;
	}
	return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const [path, code] of Object.entries(await bundleWorkers())) {
		const target = join('dist', path);
		mkdirSync(dirname(target), {recursive: true});
		writeFileSync(target, code);
	}
}
