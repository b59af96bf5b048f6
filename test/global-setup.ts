import type {TestProject} from 'vitest/node';
import {labDown, labUp} from '../source/adapters/lab/lab.js';
import {labPaths} from '../source/adapters/lab/lab-paths.js';

/**
 * Starts the private engines through the product's own lab code, once per run,
 * and stops them afterwards. LAYERSCOPE_TEST_LAB_DIR reuses a lab started by hand
 * (it is then left running); LAYERSCOPE_SKIP_LAB=1 runs unit tests only, and is
 * refused under CI so integration tests are never skipped there.
 */
export default async function setup(project: TestProject) {
	if (process.env.LAYERSCOPE_SKIP_LAB === '1') {
		if (process.env.CI === 'true') throw new Error('LAYERSCOPE_SKIP_LAB is not allowed with CI=true: integration tests must run');
		project.provide('lab', null);
		return;
	}
	const reuse = process.env.LAYERSCOPE_TEST_LAB_DIR;
	const dir = reuse ?? `/tmp/ls-test-${process.pid}`;
	const started = Date.now();
	const env = await labUp(dir, line => process.stderr.write(`[lab] ${line}\n`));
	process.stderr.write(`[lab] engines ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})\n`);
	project.provide('lab', {dir, dockerHost: env.DOCKER_HOST, criEndpoint: env.CONTAINER_RUNTIME_ENDPOINT, podmanHost: env.CONTAINER_HOST, imagesDir: labPaths(dir).images});
	return async () => {
		if (!reuse) await labDown(dir, {purge: true});
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		lab: {dir: string; dockerHost: string; criEndpoint: string; podmanHost: string; imagesDir: string} | null;
	}
}
